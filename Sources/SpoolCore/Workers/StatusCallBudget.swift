/// The global budget of status calls to fal (`fal.max_status_calls_per_second`): a token bucket that refills at
/// `perSecond` tokens a second and holds at most one second's worth, so no number of followed jobs makes more than
/// about `perSecond` calls in any second. A rate of 0 means no budget.
///
/// A plain value: only the tracker's scheduler takes tokens, in the order polls fall due.
struct StatusCallBudget: Sendable {
    let perSecond: Double
    private var tokens: Double
    private var refilledAt: ContinuousClock.Instant

    init(perSecond: Double, now: ContinuousClock.Instant = .now) {
        self.perSecond = perSecond
        tokens = max(1, perSecond)
        refilledAt = now
    }

    /// Takes a token at `now` and returns nil, or, when none is left, returns the seconds until one will be (and
    /// takes nothing).
    mutating func take(at now: ContinuousClock.Instant = .now) -> Double? {
        guard perSecond > 0 else { return nil }
        let elapsed = now - refilledAt
        if elapsed > .zero {
            tokens = min(max(1, perSecond), tokens + elapsed.seconds * perSecond)
            refilledAt = now
        }
        guard tokens >= 1 else { return (1 - tokens) / perSecond }
        tokens -= 1
        return nil
    }
}
