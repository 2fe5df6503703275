import SpoolJSON

/// The outbox: webhook deliveries written in the same transaction as the transition that causes them, so that
/// no event is lost or invented across a crash. The deliverer sends what is pending here.
package enum WebhookOutbox {
    /// The event types a job can ask for; `job.status` stands for every non-terminal transition.
    package static let eventTypes = ["job.completed", "job.failed", "job.cancelled", "job.status"]
    /// What a job gets when it names none.
    package static let defaultEvents = ["job.completed", "job.failed", "job.cancelled"]

    /// The event type a transition to `status` emits.
    package static func eventType(for status: JobStatus) -> String {
        switch status {
        case .completed: return "job.completed"
        case .failed: return "job.failed"
        case .cancelled: return "job.cancelled"
        default: return "job.status"
        }
    }

    /// The delivery a transition of `job` (now in its new state) queues: nil unless the job has a webhook URL and
    /// asked for this event. The payload is the job as it stands.
    static func delivery(for job: Job, at time: Timestamp) -> OutboxDelivery? {
        guard let url = job.webhookURL else { return nil }
        let type = eventType(for: job.status)
        guard job.webhookEvents.contains(type) else { return nil }
        let payload: JSONValue = ["type": .string(type), "timestamp": .string(time.rfc3339), "data": job.json()]
        return OutboxDelivery(
            id: Identifier.make("dlv_", at: time), jobID: job.id, team: job.team, eventType: type,
            webhookID: Identifier.make("msg_", at: time), url: url, payload: payload.serializedString(), at: time)
    }
}

/// A delivery about to be written to the outbox, pending and due at once.
struct OutboxDelivery: Sendable {
    var id: String
    var jobID: String
    var team: String
    var eventType: String
    var webhookID: String
    var url: String
    var payload: String
    var at: Timestamp
}
