import SpoolFal

extension FalSubmitOptions {
    /// The options of `job`'s submit: fal's callback when Spool has a public URL, the time left before the job's
    /// deadline, the fallback switch of its model (`allowFallback`), its team's retention settings, and what a
    /// client of the fal surface asked through fal's headers (`job.falOptions`).
    ///
    /// A deadline with 1 s or less left is not passed on (fal's clients refuse such timeouts): Spool's own
    /// deadline watcher ends the job. No queue priority is ever sent; team priorities are Spool's dispatch order.
    /// Where the team and the client both say how much fal keeps, the stricter wins: `X-Fal-Store-IO: 0` if
    /// either asks for it, and the shorter output expiry.
    init(job: Job, allowFallback: Bool, team: SpoolConfiguration.TeamLimits, publicURL: String?, now: Timestamp) {
        let asked = job.falOptions
        let expiries = [team.falOutputExpirySeconds, asked.outputExpirySeconds].compactMap { $0 }
        self.init(
            noRetry: asked.noRetry, storeIO: (team.falStoreIO ?? true) && (asked.storeIO ?? true),
            disableFallback: !allowFallback, outputExpirySeconds: expiries.min(), runnerHint: asked.runnerHint)
        if let publicURL {
            webhookURL = FalCallbackURL.make(publicURL: publicURL, jobID: job.id, token: job.falWebhookToken)
        }
        if let deadline = job.deadlineAt {
            let secondsLeft = Int((deadline.seconds - now.seconds).rounded(.down))
            if secondsLeft > Self.minimumRequestTimeoutSeconds { requestTimeoutSeconds = secondsLeft }
        }
    }
}
