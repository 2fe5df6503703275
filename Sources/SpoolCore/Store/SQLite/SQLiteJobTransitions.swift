import SpoolStore

/// `JobTransitions` on SQLite: the read, the checked change and the write, in the caller's write transaction.
enum SQLiteJobTransitions {
    /// Applies `mutate` to job `id` (see `JobTransitions.apply`), writes it and records the transition with its
    /// outbox row. Nil when nothing changed.
    static func update(
        _ id: String, expecting: JobStatus? = nil, at time: Timestamp, note: String?, on connection: SQLiteConnection,
        _ mutate: (inout Job) throws -> Void
    ) throws -> JobTransitions.Change? {
        guard let before = try JobQueries.job(id, on: connection),
            let (job, moved) = try JobTransitions.apply(to: before, expecting: expecting, at: time, mutate)
        else { return nil }
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
        return JobTransitions.Change(job: job, event: event, previous: before.status)
    }
}
