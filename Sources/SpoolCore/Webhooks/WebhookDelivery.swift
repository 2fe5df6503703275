import SpoolJSON

/// One downstream webhook message and its attempts, as `GET /v1/jobs/{id}/deliveries` shows it.
struct WebhookDelivery: Sendable, Equatable {
    enum State: String, Sendable {
        case pending, delivered, failed
    }

    var id: String
    var jobID: String
    var team: String
    var eventType: String
    var webhookID: String
    var url: String
    var payload: String
    var state: State
    var attempts: Int
    var lastStatusCode: Int?
    var lastError: String?
    var nextAttemptAt: Timestamp?
    var createdAt: Timestamp
    var updatedAt: Timestamp

    /// The delivery object of the contract. `webhook_id` is the message's stable id, sent as `webhook-id`.
    var json: JSONValue {
        [
            "id": .string(id), "object": "delivery", "event_type": .string(eventType), "webhook_id": .string(webhookID),
            "url": .string(url), "state": .string(state.rawValue), "attempts": .integer(Int64(attempts)),
            "last_status_code": lastStatusCode.map { .integer(Int64($0)) } ?? .null,
            "last_error": lastError.map(JSONValue.string) ?? .null,
            "next_attempt_at": nextAttemptAt.map { .string($0.rfc3339) } ?? .null,
            "created_at": .string(createdAt.rfc3339), "updated_at": .string(updatedAt.rfc3339),
        ]
    }
}
