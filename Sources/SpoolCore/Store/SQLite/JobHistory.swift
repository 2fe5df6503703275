import SpoolJSON
import SpoolStore

/// Writes a transition into a job's history, and the webhook deliveries it causes, in the caller's transaction.
enum JobHistory {
    /// Appends `job`'s current status to its history with `note`, and queues the webhook event for it when the
    /// job asked for that event. Returns the recorded event.
    @discardableResult
    static func record(_ job: Job, note: String?, at time: Timestamp, on connection: SQLiteConnection) throws -> JobEvent {
        let next = try connection.queryScalar(
            "SELECT coalesce(max(seq), 0) + 1 FROM job_events WHERE job_id = ?", .text(job.id), as: Int.self) ?? 1
        let attempt = JobTransitions.attempt(of: job)
        let event = JobEvent(sequence: next, status: job.status, at: time, attempt: attempt, note: note)
        try connection.run(
            "INSERT INTO job_events (job_id, seq, status, at, attempt, note) VALUES (?, ?, ?, ?, ?, ?)",
            .text(job.id), .integer(Int64(next)), .text(job.status.rawValue), .integer(time.milliseconds),
            .integer(Int64(attempt)), .nullableText(note))
        try SQLiteOutbox.enqueue(for: job, at: time, on: connection)
        return event
    }

    /// A job's history in order.
    static func events(of jobID: String, after sequence: Int = 0, on connection: SQLiteConnection) throws -> [JobEvent] {
        try connection.query(
            "SELECT seq, status, at, attempt, note FROM job_events WHERE job_id = ? AND seq > ? ORDER BY seq",
            .text(jobID), .integer(Int64(sequence))
        ).map(JobRows.decodeEvent)
    }
}
