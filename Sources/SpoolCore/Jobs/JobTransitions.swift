import SpoolJSON
import SpoolStore

/// The one way a stored job changes: read it inside the writer's transaction, let the caller change it, check
/// that the status move is allowed, write it back and record the transition, all in one transaction.
enum JobTransitions {
    /// The outcome of `update`.
    struct Change: Sendable {
        var job: Job
        /// The history entry, when the status moved.
        var event: JobEvent?
        /// The status before the change.
        var previous: JobStatus
    }

    /// Applies `mutate` to job `id`, compare-and-set: when `expecting` is given the job must be in that status.
    /// Terminal jobs are never changed (returns nil), and neither is a job whose mutation does nothing or asks for
    /// a move the state machine forbids. A nil answer means another path got there first; it is not an error.
    static func update(
        _ id: String, expecting: JobStatus? = nil, at time: Timestamp, note: String?, on connection: SQLiteConnection,
        _ mutate: (inout Job) throws -> Void
    ) throws -> Change? {
        guard let before = try JobQueries.job(id, on: connection), !before.status.isTerminal else { return nil }
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
        try connection.run(
            """
            UPDATE jobs SET status = ?, attempts = ?, queue_position = ?, fal_request_id = ?, fal_status_url = ?,
                fal_response_url = ?, fal_cancel_url = ?, result = ?, error = ?, updated_at = ?, started_at = ?,
                completed_at = ?, run_after = ?, cancel_requested = ?,
                lease_owner = CASE WHEN ? = 'submitting' THEN lease_owner END,
                lease_expires_at = CASE WHEN ? = 'submitting' THEN lease_expires_at END
            WHERE id = ? AND status = ?
            """,
            .text(job.status.rawValue), .integer(Int64(job.attempts)), .nullableInt(job.queuePosition),
            .nullableText(job.fal?.requestID), .nullableText(job.fal?.statusURL), .nullableText(job.fal?.responseURL),
            .nullableText(job.fal?.cancelURL), .json(job.result), .json(job.error?.json), .integer(time.milliseconds),
            .time(job.startedAt), .time(job.completedAt), .integer(job.runAfter.milliseconds),
            .integer(job.cancelRequested ? 1 : 0), .text(job.status.rawValue), .text(job.status.rawValue), .text(id), .text(before.status.rawValue))
        let event = moved ? try JobHistory.record(job, note: note, at: time, on: connection) : nil
        return Change(job: job, event: event, previous: before.status)
    }
}
