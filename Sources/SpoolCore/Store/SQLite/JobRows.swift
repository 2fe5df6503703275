import SpoolJSON
import SpoolStore

/// How a `Job` maps to a row of the `jobs` table.
enum JobRows {
    /// The columns every job query selects, in the order `decode` reads them.
    static let columns = """
        id, team, model, fal_endpoint, status, input, metadata, priority, attempts, queue_position, fal_request_id,
        fal_status_url, fal_response_url, fal_cancel_url, result, error, webhook_url, webhook_events,
        fal_webhook_token, estimated_cost_usd, deadline_at, created_at, updated_at, started_at, completed_at,
        run_after, cancel_requested, fal_options, \(JobBillingRecords.columns)
        """

    static func decode(_ row: SQLiteRow) throws -> Job {
        let statusText = try row.string("status")
        guard let status = JobStatus(rawValue: statusText) else {
            throw StoredDataError("job \(try row.string("id")) has unknown status \(statusText)")
        }
        var fal: Job.FalReference?
        if let requestID = try row.optionalString("fal_request_id") {
            fal = Job.FalReference(
                requestID: requestID, statusURL: try row.optionalString("fal_status_url") ?? "",
                responseURL: try row.optionalString("fal_response_url") ?? "",
                cancelURL: try row.optionalString("fal_cancel_url") ?? "")
        }
        var job = Job(
            id: try row.string("id"), team: try row.string("team"), model: try row.string("model"),
            falEndpoint: try row.string("fal_endpoint"), status: status, input: try json(row, "input") ?? .null,
            metadata: try json(row, "metadata"), priority: try row.int("priority"), attempts: try row.int("attempts"),
            queuePosition: try row.optionalInt("queue_position"), fal: fal, result: try json(row, "result"),
            error: try json(row, "error").flatMap(JobError.init(json:)),
            webhookURL: try row.optionalString("webhook_url"),
            webhookEvents: (try json(row, "webhook_events")?.arrayValue ?? []).compactMap(\.stringValue),
            falWebhookToken: try row.string("fal_webhook_token"),
            estimatedCostUSD: try row.double("estimated_cost_usd"),
            deadlineAt: try time(row, "deadline_at"), createdAt: Timestamp(milliseconds: try row.int64("created_at")),
            updatedAt: Timestamp(milliseconds: try row.int64("updated_at")), startedAt: try time(row, "started_at"),
            completedAt: try time(row, "completed_at"), runAfter: Timestamp(milliseconds: try row.int64("run_after")),
            cancelRequested: try row.bool("cancel_requested"))
        job.billing = try JobBilling(row: row)
        job.falOptions = FalRequestOptions(json: try json(row, "fal_options"))
        return job
    }

    static func decodeEvent(_ row: SQLiteRow) throws -> JobEvent {
        let statusText = try row.string("status")
        guard let status = JobStatus(rawValue: statusText) else {
            throw StoredDataError("job event has unknown status \(statusText)")
        }
        return JobEvent(
            sequence: try row.int("seq"), status: status, at: Timestamp(milliseconds: try row.int64("at")),
            attempt: try row.int("attempt"), note: try row.optionalString("note"))
    }

    private static func json(_ row: SQLiteRow, _ column: String) throws -> JSONValue? {
        guard let text = try row.optionalString(column) else { return nil }
        return try JSONValue(parsing: text)
    }

    private static func time(_ row: SQLiteRow, _ column: String) throws -> Timestamp? {
        try row.optionalInt64(column).map(Timestamp.init(milliseconds:))
    }
}

extension SQLiteValue {
    /// Text, or NULL for nil.
    static func nullableText(_ value: String?) -> SQLiteValue { value.map { .text($0) } ?? .null }
    /// Compact JSON text, or NULL for nil.
    static func json(_ value: JSONValue?) -> SQLiteValue { value.map { .text($0.serializedString()) } ?? .null }
    /// Milliseconds, or NULL for nil.
    static func time(_ value: Timestamp?) -> SQLiteValue { value.map { .integer($0.milliseconds) } ?? .null }
    /// An integer, or NULL for nil.
    static func nullableInt(_ value: Int?) -> SQLiteValue { value.map { .integer(Int64($0)) } ?? .null }
}
