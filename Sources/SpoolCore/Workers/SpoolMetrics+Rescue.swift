extension SpoolMetrics {
    /// The rescue actions, each a value of `spool_jobs_rescued_total`'s `action` label: `followed` (a job at fal
    /// nothing followed), `requeued` (a lapsed claim, or a job at fal without a request id, back in the queue).
    static let rescueActions = ["followed", "requeued", "resumed"]

    /// Makes the rescue counters appear at zero from the first scrape, so that an alert on their increase works
    /// from the start.
    func prepareRescueCounters() {
        for action in Self.rescueActions {
            _ = registry.makeCounter(descriptor: Self.describe("spool_jobs_rescued_total"), labels: [("action", action)])
        }
    }

    /// A job nothing moved forward was put back on its way (`JobRescuer`, the lapsed-claim sweep).
    func recordRescue(action: String) {
        registry.makeCounter(descriptor: Self.describe("spool_jobs_rescued_total"), labels: [("action", action)]).increment()
    }
}
