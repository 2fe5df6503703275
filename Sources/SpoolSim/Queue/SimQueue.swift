import Foundation
import Synchronization

/// A request as it stands at one moment: what status readers, streams and listings work from.
struct RequestSnapshot: Sendable {
    let request: EmulatedRequest
    /// Its queue position while it waits.
    let position: Int?
    /// The moment (on the `SimClock`) the snapshot was taken.
    let takenAt: Double
}

/// The thread-safe face of the emulated queue: a `QueueScheduler` behind a mutex, read at the current time of
/// the emulator's clock. Every call is short (no I/O under the lock).
final class SimQueue: Sendable {
    let clock = SimClock()
    private let configuration: SimulatorConfiguration
    private let faults: FaultPlan
    private let scheduler: Mutex<QueueScheduler>

    init(configuration: SimulatorConfiguration, faults: FaultPlan) {
        self.configuration = configuration
        self.faults = faults
        self.scheduler = Mutex(QueueScheduler(concurrency: configuration.concurrency))
    }

    /// Queues a new request on `terms` and returns it as it stands right after. Its outcome and, when the
    /// terms allow it, a reroute to the alternative endpoint are decided here.
    func submit(_ terms: SubmitTerms) -> RequestSnapshot {
        let outcome = faults.plannedOutcome()
        let alternative = terms.allowsFallback ? FallbackRoutes.alternative(to: terms.endpoint) : nil
        let servedFrom = alternative.flatMap { faults.reroutes() ? $0 : nil } ?? terms.endpoint
        let now = clock.now
        let request = EmulatedRequest(
            id: UUID().uuidString.lowercased(), endpoint: terms.endpoint, servedFrom: servedFrom, app: terms.app,
            submittedAt: now, eligibleAt: now + configuration.queueSeconds, runSeconds: configuration.runSeconds,
            plannedOutcome: outcome, webhookURL: terms.webhookURL, aspectRatio: terms.aspectRatio, videoSeconds: terms.videoSeconds,
            startDeadline: terms.requestTimeout.map { now + $0 }, storesPayloads: terms.storesPayloads)
        return scheduler.withLock { queue in
            queue.submit(request, now: now)
            return RequestSnapshot(request: queue.requests[request.id]!, position: queue.position(of: request.id), takenAt: now)
        }
    }

    /// The request `id` now, or nil when there is none.
    func snapshot(_ id: String) -> RequestSnapshot? {
        let now = clock.now
        return scheduler.withLock { queue in
            queue.advance(to: now)
            guard let request = queue.requests[id] else { return nil }
            return RequestSnapshot(request: request, position: queue.position(of: id), takenAt: now)
        }
    }

    /// Every request now, in submission order.
    func allSnapshots() -> [RequestSnapshot] {
        let now = clock.now
        return scheduler.withLock { queue in
            queue.advance(to: now)
            return queue.order.compactMap { id in
                queue.requests[id].map { RequestSnapshot(request: $0, position: queue.position(of: id), takenAt: now) }
            }
        }
    }

    func cancel(_ id: String) -> QueueScheduler.CancelResult {
        let now = clock.now
        return scheduler.withLock { $0.cancel(id, now: now) }
    }

    /// Requests that ended since the last call (oldest first), and how long until the next start or end is due
    /// (nil when nothing is pending).
    func takeEnded() -> (ended: [EmulatedRequest], nextEventIn: Double?) {
        let now = clock.now
        return scheduler.withLock { queue in
            queue.advance(to: now)
            let ended = queue.takeEnded().compactMap { queue.requests[$0] }
            return (ended, queue.nextEventTime().map { max(0, $0 - now) })
        }
    }
}
