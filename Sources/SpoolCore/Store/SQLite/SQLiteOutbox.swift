import SpoolStore

/// Writes the outbox's deliveries on SQLite, in the caller's transaction.
enum SQLiteOutbox {
    /// Queues the delivery `WebhookOutbox.delivery(for:at:)` gives for `job`, if any.
    static func enqueue(for job: Job, at time: Timestamp, on connection: SQLiteConnection) throws {
        guard let delivery = WebhookOutbox.delivery(for: job, at: time) else { return }
        try connection.run(
            """
            INSERT INTO webhook_deliveries (id, job_id, team, event_type, webhook_id, url, payload, state, attempts,
                next_attempt_at, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)
            """,
            .text(delivery.id), .text(delivery.jobID), .text(delivery.team), .text(delivery.eventType),
            .text(delivery.webhookID), .text(delivery.url), .text(delivery.payload), .integer(time.milliseconds),
            .integer(time.milliseconds), .integer(time.milliseconds))
    }
}
