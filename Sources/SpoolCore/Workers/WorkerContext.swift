import Logging
import SpoolFal

/// What the background workers share: the store, watchers, catalog, fal, settings and a logger.
struct WorkerContext: Sendable {
    let store: any GatewayStore
    let hub: JobEventHub
    let catalog: ModelCatalog
    let fal: FalQueueClient
    let configuration: SpoolConfiguration
    let health: HealthState
    let metrics: SpoolMetrics
    let logger: Logger
    /// Copies a completed run's output files into storage before the job completes.
    let capture: FileCapture

    /// Applies `mutate` to job `id` in one transaction and tells watchers. Compare-and-set: with
    /// `expecting` the job must be in that status, and with `claimedBy` it must be in `submitting` under that
    /// owner's lease; otherwise nothing changes and the answer is nil (another path got there first).
    @discardableResult
    func update(
        _ id: String, expecting: JobStatus? = nil, claimedBy owner: String? = nil, note: String?,
        _ mutate: @escaping @Sendable (inout Job) -> Void
    ) async throws -> JobTransitions.Change? {
        let change = try await store.update(
            id, expecting: expecting, claimedBy: owner, at: .now(), note: note, mutate)
        if let change { announce(change) }
        return change
    }

    /// Tells watchers about a stored change and counts its transition.
    func announce(_ change: JobTransitions.Change) {
        hub.publish(change)
        if let event = change.event { metrics.recordTransition(change.job, event: event, from: change.previous) }
    }
}
