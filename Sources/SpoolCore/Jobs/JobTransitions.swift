/// The one way a stored job changes: the store reads it inside its write transaction, lets the caller change it,
/// checks here that the change is allowed, writes it back and records the transition, all in one transaction.
enum JobTransitions {
    /// The outcome of a store's `update`.
    struct Change: Sendable {
        var job: Job
        /// The history entry, when the status moved.
        var event: JobEvent?
        /// The status before the change.
        var previous: JobStatus
    }

    /// `before` changed by `mutate`, compare-and-set: when `expecting` is given the job must be in that status.
    /// Terminal jobs are never changed (nil), and neither is a job whose mutation does nothing or asks for a move
    /// the state machine forbids. Sets the times a move implies; `moved` says whether the status changed.
    static func apply(
        to before: Job, expecting: JobStatus?, at time: Timestamp, _ mutate: (inout Job) throws -> Void
    ) rethrows -> (job: Job, moved: Bool)? {
        guard !before.status.isTerminal else { return nil }
        if let expecting, before.status != expecting { return nil }
        var job = before
        try mutate(&job)
        guard job != before else { return nil }
        let moved = job.status != before.status
        if moved {
            guard before.status.canMove(to: job.status) else { return nil }
            if job.status.isTerminal, job.completedAt == nil { job.completedAt = time }
            if job.status == .inProgress, job.startedAt == nil { job.startedAt = time }
        }
        job.updatedAt = time
        return (job, moved)
    }

    /// The attempt a transition of `job` belongs to: a queued job waits for its next attempt.
    static func attempt(of job: Job) -> Int { job.status == .queued ? job.attempts + 1 : max(job.attempts, 1) }
}
