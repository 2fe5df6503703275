import Synchronization

/// The rendered answers of `GET /v1/jobs/{id}`, kept in memory so that a repeated read costs neither a database
/// read nor a rendering (and, with the key already known to the `Authenticator`, not even a task).
///
/// Bounded: at most `capacity` jobs, the least recently read dropped first. An entry is the job's JSON (history
/// included) as of its `updated_at`, with its team so that a hit is still checked against the caller. Every
/// change this process makes to a job is published on the `JobEventHub` after it is committed, and removes the
/// job's entry. A read that started before such a removal does not store what it read (`ticket`), so a stale
/// answer never enters after its invalidation. Changes made by another replica on the same PostgreSQL database
/// reach it through `ClusterNotifications` (`invalidate` per job), and only while those can arrive: a cache made
/// `suspended` (a replica's, until its `LISTEN` is in place) holds and answers nothing until `resume`, and
/// `suspend` empties it again whenever the listener's connection breaks.
final class JobReadCache: Sendable {
    struct Entry: Sendable {
        let team: String
        let updatedAt: Timestamp
        let body: [UInt8]
    }

    private struct State {
        var entries: LRUMap<String, Entry>
        /// Counts invalidations, so a read can tell whether one happened while it was at the database.
        var invalidations: UInt64 = 0
        /// Changes made elsewhere cannot be heard of now: nothing is kept.
        var suspended: Bool
    }

    /// The default bound: a few thousand recently read jobs (a few MB).
    static let defaultCapacity = 4096

    private let state: Mutex<State>

    init(capacity: Int = JobReadCache.defaultCapacity, hub: JobEventHub, suspended: Bool = false) {
        state = Mutex(State(entries: LRUMap(capacity: capacity), suspended: suspended))
        hub.observeAll { [weak self] update in
            switch update {
            case .transition, .changed: self?.invalidate(update.jobID)
            case .log: break
            }
        }
    }

    /// The cached answer for job `id`, if any.
    func entry(_ id: String) -> Entry? { state.withLock { $0.entries.value(for: id) } }

    /// Taken before reading a job from the database, and handed back to `store`.
    func ticket() -> UInt64 { state.withLock { $0.invalidations } }

    /// Keeps `entry` for job `id` unless some job changed since `ticket` was taken (the read may predate the
    /// change) or a newer version of the job is already held.
    func store(_ id: String, _ entry: Entry, ticket: UInt64) {
        state.withLock { state in
            guard state.invalidations == ticket, !state.suspended else { return }
            if let held = state.entries.value(for: id), held.updatedAt > entry.updatedAt { return }
            state.entries.set(id, entry)
        }
    }

    /// Drops job `id`'s answer: it changed.
    func invalidate(_ id: String) {
        state.withLock { state in
            state.invalidations &+= 1
            state.entries.remove(id)
        }
    }

    /// Drops every answer and keeps none until `resume`: changes made elsewhere cannot be heard of now.
    func suspend() { dropAll(suspending: true) }

    /// Keeps answers again, starting empty: changes made elsewhere may have been missed while suspended.
    func resume() { dropAll(suspending: false) }

    private func dropAll(suspending: Bool) {
        state.withLock { state in
            state.invalidations &+= 1
            state.entries = LRUMap(capacity: state.entries.capacity)
            state.suspended = suspending
        }
    }

    var count: Int { state.withLock { $0.entries.count } }

    func contains(_ id: String) -> Bool { state.withLock { $0.entries.contains(id) } }
}
