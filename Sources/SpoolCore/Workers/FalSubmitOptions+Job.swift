import SpoolFal

extension FalSubmitOptions {
    /// The options of `job`'s submit: fal's callback when Spool has a public URL, the time left before the job's
    /// deadline, the fallback switch of its model, and its team's retention settings.
    ///
    /// A deadline with 1 s or less left is not passed on (fal's clients refuse such timeouts): Spool's own
    /// deadline watcher ends the job. No queue priority is ever sent; team priorities are Spool's dispatch order.
    init(job: Job, model: CatalogModel, team: SpoolConfiguration.TeamLimits, publicURL: String?, now: Timestamp) {
        self.init(
            storeIO: team.falStoreIO ?? true, disableFallback: !model.allowFallback,
            outputExpirySeconds: team.falOutputExpirySeconds)
        if let publicURL {
            webhookURL = FalCallbackURL.make(publicURL: publicURL, jobID: job.id, token: job.falWebhookToken)
        }
        if let deadline = job.deadlineAt {
            let secondsLeft = Int((deadline.seconds - now.seconds).rounded(.down))
            if secondsLeft > Self.minimumRequestTimeoutSeconds { requestTimeoutSeconds = secondsLeft }
        }
    }
}
