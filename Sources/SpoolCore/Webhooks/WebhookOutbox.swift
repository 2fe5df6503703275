import SpoolJSON
import SpoolStore

/// The outbox: webhook deliveries written in the same transaction as the transition that causes them, so that
/// no event is lost or invented across a crash. The deliverer sends what is pending here.
public enum WebhookOutbox {
    /// The event types a job can ask for; `job.status` stands for every non-terminal transition.
    public static let eventTypes = ["job.completed", "job.failed", "job.cancelled", "job.status"]
    /// What a job gets when it names none.
    public static let defaultEvents = ["job.completed", "job.failed", "job.cancelled"]

    /// The event type a transition to `status` emits.
    public static func eventType(for status: JobStatus) -> String {
        switch status {
        case .completed: return "job.completed"
        case .failed: return "job.failed"
        case .cancelled: return "job.cancelled"
        default: return "job.status"
        }
    }

    /// Queues a delivery of `job`'s current state when the job has a webhook URL and asked for this event.
    static func enqueue(for job: Job, at time: Timestamp, on connection: SQLiteConnection) throws {
        guard let url = job.webhookURL else { return }
        let type = eventType(for: job.status)
        guard job.webhookEvents.contains(type) else { return }
        let payload: JSONValue = ["type": .string(type), "timestamp": .string(time.rfc3339), "data": job.json()]
        try connection.run(
            """
            INSERT INTO webhook_deliveries (id, job_id, team, event_type, webhook_id, url, payload, state, attempts,
                next_attempt_at, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)
            """,
            .text(Identifier.make("dlv_", at: time)), .text(job.id), .text(job.team), .text(type),
            .text(Identifier.make("msg_", at: time)), .text(url), .json(payload), .integer(time.milliseconds),
            .integer(time.milliseconds), .integer(time.milliseconds))
    }
}
