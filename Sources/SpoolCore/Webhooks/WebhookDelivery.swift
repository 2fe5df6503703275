import SpoolJSON
import SpoolStore

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

    static let columns = """
        id, job_id, team, event_type, webhook_id, url, payload, state, attempts, last_status_code, last_error,
        next_attempt_at, created_at, updated_at
        """

    init(row: SQLiteRow) throws {
        id = try row.string("id")
        jobID = try row.string("job_id")
        team = try row.string("team")
        eventType = try row.string("event_type")
        webhookID = try row.string("webhook_id")
        url = try row.string("url")
        payload = try row.string("payload")
        state = State(rawValue: try row.string("state")) ?? .failed
        attempts = try row.int("attempts")
        lastStatusCode = try row.optionalInt("last_status_code")
        lastError = try row.optionalString("last_error")
        nextAttemptAt = try row.optionalInt64("next_attempt_at").map(Timestamp.init(milliseconds:))
        createdAt = Timestamp(milliseconds: try row.int64("created_at"))
        updatedAt = Timestamp(milliseconds: try row.int64("updated_at"))
    }

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

    static func forJob(_ jobID: String, on connection: SQLiteConnection) throws -> [WebhookDelivery] {
        try connection.query(
            "SELECT \(columns) FROM webhook_deliveries WHERE job_id = ? ORDER BY created_at, id", .text(jobID)
        ).map(WebhookDelivery.init(row:))
    }

    /// Pending deliveries due by `now`, oldest first.
    static func due(at now: Timestamp, limit: Int, on connection: SQLiteConnection) throws -> [WebhookDelivery] {
        try connection.query(
            """
            SELECT \(columns) FROM webhook_deliveries WHERE state = 'pending' AND next_attempt_at <= ?
            ORDER BY next_attempt_at LIMIT ?
            """, .integer(now.milliseconds), .integer(Int64(limit))
        ).map(WebhookDelivery.init(row:))
    }

    /// When the next pending delivery falls due, for the deliverer's timer.
    static func nextDue(on connection: SQLiteConnection) throws -> Timestamp? {
        try connection.queryScalar(
            "SELECT min(next_attempt_at) FROM webhook_deliveries WHERE state = 'pending'", as: Int64.self
        ).map(Timestamp.init(milliseconds:))
    }
}
