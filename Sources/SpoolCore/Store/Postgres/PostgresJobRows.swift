import PostgresNIO
import SpoolJSON

/// How a `Job`, its history and its deliveries map to PostgreSQL rows (the schema of `migrations/postgres/`).
enum PostgresJobRows {
    /// The columns every job query selects.
    static let columns = """
        id, team, model, fal_endpoint, status, input, metadata, priority, attempts, queue_position, fal_request_id,
        fal_status_url, fal_response_url, fal_cancel_url, result, error, webhook_url, webhook_events,
        fal_webhook_token, estimated_cost_usd, deadline_at, created_at, updated_at, started_at, completed_at,
        run_after, cancel_requested, fal_options, fal_served_from, fal_billed_units, fal_billed_usd
        """

    static func job(_ row: PostgresRow) throws -> Job {
        let record = PostgresRecord(row)
        let statusText = try record.string("status")
        guard let status = JobStatus(rawValue: statusText) else {
            throw StoredDataError("job \(try record.string("id")) has unknown status \(statusText)")
        }
        var fal: Job.FalReference?
        if let requestID = try record.optionalString("fal_request_id") {
            fal = Job.FalReference(
                requestID: requestID, statusURL: try record.optionalString("fal_status_url") ?? "",
                responseURL: try record.optionalString("fal_response_url") ?? "",
                cancelURL: try record.optionalString("fal_cancel_url") ?? "")
        }
        var job = Job(
            id: try record.string("id"), team: try record.string("team"), model: try record.string("model"),
            falEndpoint: try record.string("fal_endpoint"), status: status, input: try record.json("input") ?? .null,
            metadata: try record.json("metadata"), priority: try record.int("priority"),
            attempts: try record.int("attempts"), queuePosition: try record.optionalInt("queue_position"), fal: fal,
            result: try record.json("result"), error: try record.json("error").flatMap(JobError.init(json:)),
            webhookURL: try record.optionalString("webhook_url"),
            webhookEvents: (try record.json("webhook_events")?.arrayValue ?? []).compactMap(\.stringValue),
            falWebhookToken: try record.string("fal_webhook_token"),
            estimatedCostUSD: try record.double("estimated_cost_usd"), deadlineAt: try record.time("deadline_at"),
            createdAt: Timestamp(milliseconds: try record.int64("created_at")),
            updatedAt: Timestamp(milliseconds: try record.int64("updated_at")), startedAt: try record.time("started_at"),
            completedAt: try record.time("completed_at"),
            runAfter: Timestamp(milliseconds: try record.int64("run_after")),
            cancelRequested: try record.bool("cancel_requested"))
        job.billing = try billing(row)
        job.falOptions = FalRequestOptions(json: try record.json("fal_options"))
        return job
    }

    static func billing(_ row: PostgresRow) throws -> JobBilling {
        let record = PostgresRecord(row)
        return JobBilling(
            servedFrom: try record.optionalString("fal_served_from"),
            billedUnits: try record.optionalDouble("fal_billed_units"),
            billedUSD: try record.optionalDouble("fal_billed_usd"))
    }

    static func event(_ row: PostgresRow) throws -> JobEvent {
        let record = PostgresRecord(row)
        let statusText = try record.string("status")
        guard let status = JobStatus(rawValue: statusText) else {
            throw StoredDataError("job event has unknown status \(statusText)")
        }
        return JobEvent(
            sequence: try record.int("seq"), status: status, at: Timestamp(milliseconds: try record.int64("at")),
            attempt: try record.int("attempt"), note: try record.optionalString("note"))
    }

    /// The columns `delivery` reads.
    static let deliveryColumns = """
        id, job_id, team, event_type, webhook_id, url, payload, state, attempts, last_status_code, last_error,
        next_attempt_at, created_at, updated_at
        """

    static func delivery(_ row: PostgresRow) throws -> WebhookDelivery {
        let record = PostgresRecord(row)
        return WebhookDelivery(
            id: try record.string("id"), jobID: try record.string("job_id"), team: try record.string("team"),
            eventType: try record.string("event_type"), webhookID: try record.string("webhook_id"),
            url: try record.string("url"), payload: try record.string("payload"),
            state: WebhookDelivery.State(rawValue: try record.string("state")) ?? .failed,
            attempts: try record.int("attempts"), lastStatusCode: try record.optionalInt("last_status_code"),
            lastError: try record.optionalString("last_error"), nextAttemptAt: try record.time("next_attempt_at"),
            createdAt: Timestamp(milliseconds: try record.int64("created_at")),
            updatedAt: Timestamp(milliseconds: try record.int64("updated_at")))
    }
}
