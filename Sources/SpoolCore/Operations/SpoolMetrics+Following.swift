extension SpoolMetrics {
    /// The tracker started a status poll (`made`), or one had to wait for the status-call budget (`deferred`).
    func recordStatusCall(outcome: String) {
        registry.makeCounter(descriptor: Self.describe("spool_fal_status_calls_total"), labels: replicaLabel + [("outcome", outcome)])
            .increment()
    }

    /// The tracker follows `count` jobs now.
    func setFollowedJobs(_ count: Int) {
        set("spool_fal_followed_jobs", to: Double(count))
    }
}
