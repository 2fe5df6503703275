/// How often and how patiently a transient S3 failure (5xx, `SlowDown`, a connection fault) is tried again:
/// exponential backoff from `baseDelay`, capped at `maxDelay`, with jitter so that replicas do not retry in step.
package struct S3RetryPolicy: Sendable, Equatable {
    /// Tries in all, the first included. Default 5.
    package var attempts: Int
    /// The wait before the second try; each later wait doubles. Default 0.2 s.
    package var baseDelay: Duration
    /// The longest wait between two tries. Default 5 s.
    package var maxDelay: Duration

    package init(attempts: Int = 5, baseDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(5)) {
        self.attempts = max(1, attempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// The wait after failed try number `attempt` (1 for the first): between half and all of the backoff.
    func delay(after attempt: Int) -> Duration {
        let backoff = min(maxDelay, baseDelay * (1 << min(attempt - 1, 20)))
        return backoff * Double.random(in: 0.5...1)
    }
}
