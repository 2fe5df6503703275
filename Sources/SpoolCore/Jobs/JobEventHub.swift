import SpoolJSON
import Synchronization

/// What happened to a job, as told to those watching it live.
package enum JobUpdate: Sendable {
    /// A transition, recorded in the job's history under `sequence`.
    case transition(Job, JobEvent)
    /// The job changed without a transition (its queue position moved).
    case changed(Job)
    /// A log line from fal while the job runs; not stored.
    case log(jobID: String, line: JSONValue)

    package var jobID: String {
        switch self {
        case .transition(let job, _), .changed(let job): return job.id
        case .log(let jobID, _): return jobID
        }
    }
}

/// In-process fan-out of job updates to event streams and sync waiters.
///
/// Updates are published after the change that causes them has been committed, so a watcher never sees a state
/// that a crash could take back. Each subscriber gets its own buffer of 1,024 updates; one that falls further
/// behind loses the oldest. Transitions are also in the database, so a stream that reconnects with
/// `Last-Event-ID` re-reads what it missed.
///
/// Where replicas share a database, a transition reaches the hub twice on the replica that made it: published
/// here after its commit, and read back after its `NOTIFY` (`ClusterNotifications`). For every watched job the hub
/// keeps the highest sequence it has handed out and drops a transition at or below it, so a watcher sees each once.
package final class JobEventHub: Sendable {
    private struct Subscriber {
        let id: Int
        let continuation: AsyncStream<JobUpdate>.Continuation
    }

    private struct State {
        var nextID = 0
        var byJob: [String: [Subscriber]] = [:]
        /// The highest transition sequence published per watched job; forgotten with the job's last subscriber.
        var lastSequence: [String: Int] = [:]
        var closed = false
    }

    private let state = Mutex(State())
    private let everyUpdate = Mutex<[@Sendable (JobUpdate) -> Void]>([])

    package init() {}

    /// Calls `observer` with every update of every job (the webhook deliverer uses it to wake up).
    /// It runs on the publishing thread: keep it quick.
    package func observeAll(_ observer: @escaping @Sendable (JobUpdate) -> Void) {
        everyUpdate.withLock { $0.append(observer) }
    }

    /// A stream of `jobID`'s updates from now on. It ends when the returned stream is dropped or cancelled, or
    /// when the hub is closed.
    package func subscribe(to jobID: String) -> AsyncStream<JobUpdate> {
        let (stream, continuation) = AsyncStream<JobUpdate>.makeStream(bufferingPolicy: .bufferingNewest(1024))
        let id = state.withLock { state -> Int? in
            if state.closed { return nil }
            state.nextID += 1
            state.byJob[jobID, default: []].append(Subscriber(id: state.nextID, continuation: continuation))
            return state.nextID
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in self?.unsubscribe(jobID: jobID, id: id) }
        return stream
    }

    /// Ends every stream, now and from now on (shutdown): event streams close after what they have sent, so
    /// clients resume elsewhere with `Last-Event-ID`, and `Prefer: wait` callers get the job as it stands.
    /// Shutdown then waits for no watcher: jobs go on at fal and are followed by the next process.
    package func close() {
        let all = state.withLock { state in
            state.closed = true
            defer {
                state.byJob.removeAll()
                state.lastSequence.removeAll()
            }
            return state.byJob.values.flatMap { $0 }
        }
        for subscriber in all { subscriber.continuation.finish() }
    }

    /// Hands `update` to everyone watching its job, unless it is a transition of a watched job already handed out.
    package func publish(_ update: JobUpdate) {
        let subscribers = state.withLock { state -> [Subscriber]? in
            let subscribers = state.byJob[update.jobID] ?? []
            guard case .transition(_, let event) = update, !subscribers.isEmpty else { return subscribers }
            if let last = state.lastSequence[update.jobID], event.sequence <= last { return nil }
            state.lastSequence[update.jobID] = event.sequence
            return subscribers
        }
        guard let subscribers else { return }
        for subscriber in subscribers { subscriber.continuation.yield(update) }
        for observer in everyUpdate.withLock({ $0 }) { observer(update) }
    }

    /// Whether anyone watches `jobID` (log lines are fetched from fal only then).
    package func hasSubscribers(_ jobID: String) -> Bool {
        state.withLock { !($0.byJob[jobID]?.isEmpty ?? true) }
    }

    /// The highest transition sequence handed out for `jobID` while it is watched, if any.
    package func lastPublishedSequence(of jobID: String) -> Int? {
        state.withLock { $0.lastSequence[jobID] }
    }

    /// The jobs someone watches now.
    package var watchedJobIDs: [String] { state.withLock { Array($0.byJob.keys) } }

    /// How many streams are open, for metrics.
    package var subscriberCount: Int { state.withLock { $0.byJob.values.reduce(0) { $0 + $1.count } } }

    private func unsubscribe(jobID: String, id: Int) {
        state.withLock { state in
            state.byJob[jobID]?.removeAll { $0.id == id }
            if state.byJob[jobID]?.isEmpty == true {
                state.byJob[jobID] = nil
                state.lastSequence[jobID] = nil
            }
        }
    }
}
