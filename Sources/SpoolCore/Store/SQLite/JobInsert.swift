import SpoolJSON
import SpoolStore

/// Inserts jobs, checking idempotency and the team's quotas in the same transaction, so that concurrent
/// submits cannot together pass a limit that each alone would respect.
enum JobInsert {
    static func insert(
        _ new: NewJob, idempotency: IdempotencyClaim?, limits: SpoolConfiguration.TeamLimits,
        on connection: SQLiteConnection
    ) throws -> InsertOutcome {
        if let idempotency {
            if let row = try connection.queryRow(
                "SELECT request_sha256, job_id, created_at FROM idempotency_keys WHERE team = ? AND key = ?",
                .text(new.team), .text(idempotency.key))
            {
                let fresh = try row.int64("created_at") > new.createdAt.milliseconds - IdempotencyClaim.lifetimeMilliseconds
                let jobID = try row.string("job_id")
                if fresh {
                    guard try row.string("request_sha256") == idempotency.requestSHA256 else {
                        return .idempotencyConflict(jobID: jobID)
                    }
                    if let job = try JobQueries.job(jobID, on: connection) { return .replayed(job) }
                }
                try connection.run(
                    "DELETE FROM idempotency_keys WHERE team = ? AND key = ?", .text(new.team), .text(idempotency.key))
            }
        }
        if let limit = limits.maxQueued {
            let waiting = try connection.queryScalar(
                "SELECT count FROM job_counts WHERE team = ? AND status = 'queued'", .text(new.team), as: Int.self) ?? 0
            if waiting >= limit { return .quotaExceeded(limit: limit) }
        }
        if let budget = limits.dailyBudgetUSD {
            let spent = try JobBillingRecords.spend(team: new.team, day: new.createdAt.day, on: connection)
            if spent + new.estimatedCostUSD > budget + 1e-9 { return .budgetExceeded(budget: budget, spent: spent) }
        }

        let job = new.queuedJob()
        try connection.run(
            """
            INSERT INTO jobs (id, team, model, fal_endpoint, status, input, metadata, priority, attempts,
                webhook_url, webhook_events, fal_webhook_token, estimated_cost_usd, deadline_at, created_at,
                updated_at, run_after, fal_options)
            VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            .text(job.id), .text(job.team), .text(job.model), .text(job.falEndpoint), .json(job.input),
            .json(job.metadata), .integer(Int64(job.priority)), .nullableText(job.webhookURL),
            .json(.array(job.webhookEvents.map(JSONValue.string))), .text(job.falWebhookToken),
            .real(job.estimatedCostUSD), .time(job.deadlineAt), .integer(job.createdAt.milliseconds),
            .integer(job.createdAt.milliseconds), .integer(job.createdAt.milliseconds), .json(job.falOptions.json))
        if let idempotency {
            try connection.run(
                "INSERT INTO idempotency_keys (team, key, request_sha256, job_id, created_at) VALUES (?, ?, ?, ?, ?)",
                .text(job.team), .text(idempotency.key), .text(idempotency.requestSHA256), .text(job.id),
                .integer(job.createdAt.milliseconds))
        }
        let event = try JobHistory.record(job, note: new.note, at: job.createdAt, on: connection)
        return .created(job, event)
    }
}
