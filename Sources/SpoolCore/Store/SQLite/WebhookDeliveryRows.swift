import SpoolStore

/// How a `WebhookDelivery` maps to a row of `webhook_deliveries`, and the deliverer's reads of them on SQLite.
extension WebhookDelivery {
    /// The columns `init(row:)` reads.
    static let columns = """
        id, job_id, team, event_type, webhook_id, url, payload, state, attempts, last_status_code, last_error,
        next_attempt_at, created_at, updated_at
        """

    init(row: SQLiteRow) throws {
        self.init(
            id: try row.string("id"),
            jobID: try row.string("job_id"),
            team: try row.string("team"),
            eventType: try row.string("event_type"),
            webhookID: try row.string("webhook_id"),
            url: try row.string("url"),
            payload: try row.string("payload"),
            state: State(rawValue: try row.string("state")) ?? .failed,
            attempts: try row.int("attempts"),
            lastStatusCode: try row.optionalInt("last_status_code"),
            lastError: try row.optionalString("last_error"),
            nextAttemptAt: try row.optionalInt64("next_attempt_at").map(Timestamp.init(milliseconds:)),
            createdAt: Timestamp(milliseconds: try row.int64("created_at")),
            updatedAt: Timestamp(milliseconds: try row.int64("updated_at")))
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

    /// Stores one attempt's outcome.
    static func record(_ attempt: WebhookAttemptRecord, on connection: SQLiteConnection) throws {
        try connection.run(
            """
            UPDATE webhook_deliveries SET state = ?, attempts = ?, last_status_code = ?, last_error = ?,
                next_attempt_at = ?, updated_at = ?
            WHERE id = ?
            """,
            .text(attempt.state.rawValue), .integer(Int64(attempt.attempts)), .nullableInt(attempt.statusCode),
            .nullableText(attempt.error), .time(attempt.nextAttemptAt), .integer(attempt.at.milliseconds),
            .text(attempt.deliveryID))
    }

    /// Makes delivery `id` of job `jobID` pending and due at `now`; nil when the job has no such delivery.
    static func replay(_ id: String, ofJob jobID: String, at now: Timestamp, on connection: SQLiteConnection) throws
        -> WebhookDelivery? {
        guard try connection.run(
            """
            UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = ?, updated_at = ?
            WHERE id = ? AND job_id = ?
            """, .integer(now.milliseconds), .integer(now.milliseconds), .text(id), .text(jobID)) > 0
        else { return nil }
        return try connection.queryRow(
            "SELECT \(columns) FROM webhook_deliveries WHERE id = ?", .text(id)
        ).map(WebhookDelivery.init(row:))
    }
}
