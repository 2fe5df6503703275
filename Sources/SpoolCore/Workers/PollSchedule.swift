/// When to ask fal about a job again: soon after something changed, then less often the longer nothing changes
/// and the further back the job waits in fal's queue, never less often than the ceiling.
///
/// The delay is `max(base, sinceChange / 2) × (1 + queuePosition / 10)`, capped at `ceiling` (and never below
/// `base`): polls come at the base interval for a while after a transition, then each one waits half the time the
/// job has gone unchanged, so a job that changes nothing for a minute costs about ten polls, not sixty. A job tenth
/// in fal's queue waits twice as long as the one next up.
struct PollSchedule: Sendable, Equatable {
    /// The shortest delay, used right after a change (`fal.poll_interval_seconds`).
    let base: Double
    /// The longest delay (`fal.poll_max_interval_seconds`); never below `base`.
    let ceiling: Double

    init(base: Double, ceiling: Double) {
        self.base = base
        self.ceiling = max(base, ceiling)
    }

    /// The schedule the configuration asks for.
    init(_ configuration: SpoolConfiguration) {
        self.init(base: configuration.effectivePollInterval, ceiling: configuration.fal.pollMaxIntervalSeconds)
    }

    /// Seconds until the next poll of a job unchanged for `sinceChange` seconds, at `queuePosition` in fal's
    /// queue (nil once it runs).
    func delay(sinceChange: Double, queuePosition: Int?) -> Double {
        let unchanged = max(base, sinceChange / 2)
        let behind = 1 + Double(max(queuePosition ?? 0, 0)) / 10
        return min(ceiling, unchanged * behind)
    }
}
