/// What operators read: the queue view, usage per day, and whether the store can take writes.
protocol OperationsStore: Sendable {
    /// The figures of `GET /v1/queue` and the job gauges, over every process sharing the store.
    func queueSnapshot(at now: Timestamp) async throws -> QueueSnapshot
    /// Lines of `usage_daily` from UTC day `from` to `to` (inclusive), of `team` or of every team.
    func usage(from: String, to: String, team: String?) async throws -> [UsageFigures]
    /// Throws, saying why, when the store cannot take a write now (`/readyz`).
    func checkWritable() async throws
}
