import SpoolJSON
import Synchronization

/// The latest state and the log lines of the jobs fal's clients follow, kept in memory so that status polls
/// (fal's Python client polls every 0.1 s) are answered without the database.
///
/// A job is followed from its submit, or from the first status request for it, until it ends; it stays on
/// the board `retentionSeconds` after that, then status answers come from the database again, with the job's
/// history as log lines (fal's own lines are not stored). Following a job is also what makes the tracker
/// fetch fal's log lines for it: it fetches them only while someone watches.
final class FalRequestBoard: Sendable {
    struct Entry: Sendable {
        var job: Job
        var logs: [JSONValue]
        var endedAt: ContinuousClock.Instant?
    }

    private let entries = Mutex<[String: Entry]>([:])
    /// The task following each job that has not ended.
    private let followers = Mutex<[String: Task<Void, Never>]>([:])
    private let jobs: JobService
    let retentionSeconds: Double
    /// Jobs kept at most; the ones that ended first leave first.
    let capacity: Int

    init(jobs: JobService, retentionSeconds: Double = 600, capacity: Int = 10_000) {
        self.jobs = jobs
        self.retentionSeconds = retentionSeconds
        self.capacity = capacity
    }

    /// The board's entry for `id`, if it is followed or ended recently.
    func entry(_ id: String) -> Entry? { entries.withLock { $0[id] } }

    /// Starts following `job` unless it is already on the board; `logs` are the lines it starts with.
    func follow(_ job: Job, logs: [JSONValue] = []) {
        let added = entries.withLock { entries -> Bool in
            guard entries[job.id] == nil else { return false }
            entries[job.id] = Entry(job: job, logs: logs, endedAt: job.status.isTerminal ? .now : nil)
            return true
        }
        guard added else { return }
        prune()
        guard !job.status.isTerminal else { return }
        // Subscribed before the task starts, so that no update after this point is missed.
        let updates = jobs.hub.subscribe(to: job.id)
        // Stored under the lock the task takes to remove itself, so that its removal cannot come first.
        followers.withLock { followers in
            followers[job.id] = Task { [self] in
                defer { self.followers.withLock { $0[job.id] = nil } }
                if let stored = try? await jobs.store.job(job.id) { record(stored) }
                if hasEnded(job.id) { return }
                for await update in updates {
                    switch update {
                    case .transition(let job, _), .changed(let job): record(job)
                    case .log(_, let line): entries.withLock { $0[job.id]?.logs.append(line) }
                    }
                    if hasEnded(job.id) { return }
                }
            }
        }
    }

    /// Stops following every job (the gateway is shutting down); what the board holds stays readable.
    func stopFollowing() {
        let tasks = followers.withLock { followers in
            defer { followers.removeAll() }
            return Array(followers.values)
        }
        for task in tasks { task.cancel() }
    }

    private func hasEnded(_ id: String) -> Bool {
        entries.withLock { $0[id]?.endedAt != nil }
    }

    /// Keeps the newest of what is on the board and `job`.
    private func record(_ job: Job) {
        entries.withLock { entries in
            guard var entry = entries[job.id], entry.endedAt == nil, job.updatedAt >= entry.job.updatedAt else { return }
            entry.job = job
            if job.status.isTerminal { entry.endedAt = .now }
            entries[job.id] = entry
        }
    }

    /// Drops entries that ended more than `retentionSeconds` ago, then the oldest ended ones over `capacity`.
    private func prune() {
        let now = ContinuousClock.now
        entries.withLock { entries in
            entries = entries.filter { _, entry in
                guard let ended = entry.endedAt else { return true }
                return now - ended < .seconds(retentionSeconds)
            }
            guard entries.count > capacity else { return }
            let ended = entries.compactMap { id, entry in entry.endedAt.map { (id, $0) } }.sorted { $0.1 < $1.1 }
            for (id, _) in ended.prefix(entries.count - capacity) { entries[id] = nil }
        }
    }
}
