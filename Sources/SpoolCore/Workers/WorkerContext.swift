import Logging
import SpoolFal
import SpoolStore

/// What the background workers share: the database, watchers, catalog, fal, settings and a logger.
struct WorkerContext: Sendable {
    let database: SQLiteDatabase
    let hub: JobEventHub
    let catalog: ModelCatalog
    let fal: FalQueueClient
    let configuration: SpoolConfiguration
    let health: HealthState
    let metrics: SpoolMetrics
    let logger: Logger

    /// Applies `mutate` to job `id` in one group-committed transaction and tells watchers.
    @discardableResult
    func update(
        _ id: String, note: String?, _ mutate: @escaping @Sendable (inout Job) -> Void
    ) async throws -> JobTransitions.Change? {
        let change = try await database.batchedWrite { connection in
            try JobTransitions.update(id, at: .now(), note: note, on: connection, mutate)
        }
        if let change {
            hub.publish(change)
            if let event = change.event { metrics.recordTransition(change.job, event: event) }
        }
        return change
    }
}
