import Logging
import PostgresNIO
import SpoolJSON
import SpoolPostgres

/// The writes of a job change on PostgreSQL, run inside the caller's transaction: the row, its history entry, its
/// outbox row, and the `NOTIFY spool_jobs` that other replicas follow (delivered only if the transaction commits).
struct PostgresJobWrites {
    let connection: PostgresConnection
    let logger: Logger

    /// Runs `query` on the transaction's connection.
    @discardableResult
    func run(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await SpoolPostgres.PostgresDatabase.rows(query, on: connection, logger: logger)
    }

    /// Job `id`, locked until the transaction ends, so that changes of one job queue behind each other.
    func lockedJob(_ id: String) async throws -> Job? {
        try await run("SELECT \(unescaped: PostgresJobRows.columns) FROM jobs WHERE id = \(id) FOR UPDATE")
            .first.map(PostgresJobRows.job)
    }

    /// Applies `mutate` to the locked job `id` by `JobTransitions.apply`, and writes what changed. While a job is
    /// in flight its lease stays with whoever holds it (the submitter, then the follower); it ends with the flight.
    func update(
        _ id: String, expecting: JobStatus?, at time: Timestamp, note: String?, _ mutate: (inout Job) throws -> Void
    ) async throws -> JobTransitions.Change? {
        guard let before = try await lockedJob(id),
            let (job, moved) = try JobTransitions.apply(to: before, expecting: expecting, at: time, mutate)
        else { return nil }
        let inFlight = JobStatus.inFlight.contains(job.status)
        try await run(
            """
            UPDATE jobs SET status = \(job.status.rawValue), attempts = \(Int64(job.attempts)),
                queue_position = \(job.queuePosition.map(Int64.init)), fal_request_id = \(job.fal?.requestID),
                fal_status_url = \(job.fal?.statusURL), fal_response_url = \(job.fal?.responseURL),
                fal_cancel_url = \(job.fal?.cancelURL), result = \(job.result?.serializedString()),
                error = \(job.error?.json.serializedString()), updated_at = \(time.milliseconds),
                started_at = \(job.startedAt?.milliseconds), completed_at = \(job.completedAt?.milliseconds),
                run_after = \(job.runAfter.milliseconds), cancel_requested = \(job.cancelRequested),
                lease_owner = CASE WHEN \(inFlight) THEN lease_owner END,
                lease_expires_at = CASE WHEN \(inFlight) THEN lease_expires_at END
            WHERE id = \(id)
            """)
        let event = moved ? try await record(job, note: note, at: time) : nil
        if !moved { try await notify(id) }
        return JobTransitions.Change(job: job, event: event, previous: before.status)
    }

    /// Appends `job`'s current status to its history with `note`, queues the webhook delivery it causes, and
    /// notifies the other replicas. Returns the recorded event.
    func record(_ job: Job, note: String?, at time: Timestamp) async throws -> JobEvent {
        let attempt = JobTransitions.attempt(of: job)
        let rows = try await run(
            """
            INSERT INTO job_events (job_id, seq, status, at, attempt, note)
            SELECT \(job.id), coalesce(max(seq), 0) + 1, \(job.status.rawValue), \(time.milliseconds),
                \(Int64(attempt)), \(note)
            FROM job_events WHERE job_id = \(job.id)
            RETURNING seq
            """)
        guard let row = rows.first else { throw StoredDataError("no history entry was written for \(job.id)") }
        try await enqueueDelivery(for: job, at: time)
        try await notify(job.id)
        return JobEvent(
            sequence: try PostgresRecord(row).int("seq"), status: job.status, at: time, attempt: attempt, note: note)
    }

    /// Queues the delivery `WebhookOutbox.delivery(for:at:)` gives for `job`, if any.
    func enqueueDelivery(for job: Job, at time: Timestamp) async throws {
        guard let delivery = WebhookOutbox.delivery(for: job, at: time) else { return }
        try await run(
            """
            INSERT INTO webhook_deliveries (id, job_id, team, event_type, webhook_id, url, payload, state, attempts,
                next_attempt_at, created_at, updated_at)
            VALUES (\(delivery.id), \(delivery.jobID), \(delivery.team), \(delivery.eventType), \(delivery.webhookID),
                \(delivery.url), \(delivery.payload), 'pending', 0, \(time.milliseconds), \(time.milliseconds),
                \(time.milliseconds))
            """)
    }

    /// `NOTIFY spool_jobs, '<id>'`: every replica's listener hears of the change once the transaction commits.
    func notify(_ id: String) async throws {
        try await run("SELECT pg_notify('spool_jobs', \(id))")
    }
}
