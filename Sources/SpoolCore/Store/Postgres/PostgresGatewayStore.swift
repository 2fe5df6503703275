import Logging
import PostgresNIO
import SpoolFal
import SpoolJSON
import SpoolPostgres

/// The store on PostgreSQL, shared by any number of replicas: PostgresNIO's pool, parameterised statements, every
/// change in one transaction with its history, outbox row and `NOTIFY spool_jobs`. Claims and deliveries are
/// taken with `FOR UPDATE SKIP LOCKED` under leases, so replicas split the work without waiting on each other.
final class PostgresGatewayStore: GatewayStore {
    let database: SpoolPostgres.PostgresDatabase
    let logger: Logger

    init(database: SpoolPostgres.PostgresDatabase, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    var location: String { database.url.description }

    var isShared: Bool { true }

    func close() async { await database.shutdown() }

    /// Runs `body` in one transaction with the writes' helper.
    func transaction<Result: Sendable>(_ body: (PostgresJobWrites) async throws -> Result) async throws -> Result {
        try await database.transaction { connection in
            try await body(PostgresJobWrites(connection: connection, logger: logger))
        }
    }

    /// Runs one statement outside any transaction.
    @discardableResult
    func run(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await database.query(query)
    }

    // MARK: Jobs

    /// The advisory lock that makes a team's quota and budget checks and its insert one step across replicas.
    private static let teamLimitsLockClass = 0x7370_6C71

    func insert(_ new: NewJob, idempotency: IdempotencyClaim?, limits: SpoolConfiguration.TeamLimits) async throws
        -> InsertOutcome {
        do {
            return try await transaction { try await Self.insert(new, idempotency: idempotency, limits: limits, $0) }
        } catch let error as PostgresDatabaseError where error.kind == .uniqueViolation && idempotency != nil {
            // Another replica stored the same key between our read and our insert: read it again, as a replay.
            return try await transaction { try await Self.insert(new, idempotency: idempotency, limits: limits, $0) }
        }
    }

    private static func insert(
        _ new: NewJob, idempotency: IdempotencyClaim?, limits: SpoolConfiguration.TeamLimits, _ writes: PostgresJobWrites
    ) async throws -> InsertOutcome {
        if let idempotency, let row = try await writes.run(
            """
            SELECT request_sha256, job_id, created_at FROM idempotency_keys
            WHERE team = \(new.team) AND key = \(idempotency.key) FOR UPDATE
            """).first
        {
            let record = PostgresRecord(row)
            let fresh = try record.int64("created_at") > new.createdAt.milliseconds - IdempotencyClaim.lifetimeMilliseconds
            let jobID = try record.string("job_id")
            if fresh {
                guard try record.string("request_sha256") == idempotency.requestSHA256 else {
                    return .idempotencyConflict(jobID: jobID)
                }
                if let job = try await writes.run(
                    "SELECT \(unescaped: PostgresJobRows.columns) FROM jobs WHERE id = \(jobID)"
                ).first.map(PostgresJobRows.job) {
                    return .replayed(job)
                }
            }
            try await writes.run("DELETE FROM idempotency_keys WHERE team = \(new.team) AND key = \(idempotency.key)")
        }
        if limits.maxQueued != nil || limits.dailyBudgetUSD != nil {
            try await writes.run(
                "SELECT pg_advisory_xact_lock(\(unescaped: String(teamLimitsLockClass)), hashtext(\(new.team)))")
        }
        if let limit = limits.maxQueued {
            let waiting = try await writes.run(
                "SELECT count FROM job_counts WHERE team = \(new.team) AND status = 'queued'"
            ).first.map { try PostgresRecord($0).int("count") } ?? 0
            if waiting >= limit { return .quotaExceeded(limit: limit) }
        }
        if let budget = limits.dailyBudgetUSD {
            let spent = try await writes.run(
                """
                SELECT coalesce(sum(estimated_cost_usd - billed_estimate_usd + billed_usd), 0)::double precision AS spent
                FROM usage_daily WHERE team = \(new.team) AND day = \(new.createdAt.day)
                """).first.map { try PostgresRecord($0).double("spent") } ?? 0
            if spent + new.estimatedCostUSD > budget + 1e-9 { return .budgetExceeded(budget: budget, spent: spent) }
        }
        let job = new.queuedJob()
        let at = job.createdAt.milliseconds
        try await writes.run(
            """
            INSERT INTO jobs (id, team, model, fal_endpoint, status, input, metadata, priority, attempts,
                webhook_url, webhook_events, fal_webhook_token, estimated_cost_usd, deadline_at, created_at,
                updated_at, run_after, fal_options)
            VALUES (\(job.id), \(job.team), \(job.model), \(job.falEndpoint), 'queued', \(job.input.serializedString()),
                \(job.metadata?.serializedString()), \(Int64(job.priority)), 0, \(job.webhookURL),
                \(JSONValue.array(job.webhookEvents.map(JSONValue.string)).serializedString()),
                \(job.falWebhookToken), \(job.estimatedCostUSD), \(job.deadlineAt?.milliseconds), \(at), \(at), \(at),
                \(job.falOptions.json?.serializedString()))
            """)
        if let idempotency {
            try await writes.run(
                """
                INSERT INTO idempotency_keys (team, key, request_sha256, job_id, created_at)
                VALUES (\(job.team), \(idempotency.key), \(idempotency.requestSHA256), \(job.id), \(at))
                """)
        }
        let event = try await writes.record(job, note: new.note, at: job.createdAt)
        return .created(job, event)
    }

    func job(_ id: String) async throws -> Job? {
        guard let job = try await run("SELECT \(unescaped: PostgresJobRows.columns) FROM jobs WHERE id = \(id)")
            .first.map(PostgresJobRows.job)
        else { return nil }
        return try await PostgresJobFileRecords.attachFiles(to: [job], run: run).first
    }

    /// Read in one snapshot (`REPEATABLE READ`), so the history matches the job.
    func jobWithHistory(_ id: String) async throws -> (Job, [JobEvent])? {
        try await database.transaction(isolation: .repeatableRead) { connection in
            let writes = PostgresJobWrites(connection: connection, logger: logger)
            guard let job = try await writes.run(
                "SELECT \(unescaped: PostgresJobRows.columns) FROM jobs WHERE id = \(id)"
            ).first.map(PostgresJobRows.job) else { return nil }
            let events = try await writes.run(
                "SELECT seq, status, at, attempt, note FROM job_events WHERE job_id = \(id) ORDER BY seq"
            ).map(PostgresJobRows.event)
            let withFiles = try await PostgresJobFileRecords.attachFiles(to: [job], run: writes.run).first ?? job
            return (withFiles, events)
        }
    }

    func jobs(_ filter: JobListFilter) async throws -> [Job] {
        let page = try await run(
            """
            SELECT \(unescaped: PostgresJobRows.columns) FROM jobs
            WHERE (\(filter.team)::text IS NULL OR team = \(filter.team))
              AND (\(filter.status?.rawValue)::text IS NULL OR status = \(filter.status?.rawValue))
              AND (\(filter.model)::text IS NULL OR model = \(filter.model))
              AND (\(filter.beforeID)::text IS NULL
                   OR seq < coalesce((SELECT seq FROM jobs WHERE id = \(filter.beforeID)), -1))
            ORDER BY seq DESC LIMIT \(Int64(filter.limit + 1))
            """).map(PostgresJobRows.job)
        return try await PostgresJobFileRecords.attachFiles(to: page, run: run)
    }

    func activeJobs() async throws -> [Job] {
        try await run(
            """
            SELECT \(unescaped: PostgresJobRows.columns) FROM jobs
            WHERE status IN ('submitting', 'in_queue', 'in_progress')
            """).map(PostgresJobRows.job)
    }

    func overdueJobs(at now: Timestamp, limit: Int) async throws -> [Job] {
        try await run(
            """
            SELECT \(unescaped: PostgresJobRows.columns) FROM jobs
            WHERE deadline_at < \(now.milliseconds) AND status NOT IN ('completed', 'failed', 'cancelled')
            LIMIT \(Int64(limit))
            """).map(PostgresJobRows.job)
    }

    func update(
        _ id: String, expecting: JobStatus?, claimedBy owner: String?, at time: Timestamp, note: String?,
        _ mutate: @escaping @Sendable (inout Job) -> Void
    ) async throws -> JobTransitions.Change? {
        try await transaction { writes in
            if let owner, try await writes.run(
                "SELECT 1 FROM jobs WHERE id = \(id) AND status = 'submitting' AND lease_owner = \(owner) FOR UPDATE"
            ).isEmpty {
                return nil
            }
            return try await writes.update(id, expecting: expecting, at: time, note: note, mutate)
        }
    }

    func billing(of id: String) async throws -> JobBilling? {
        try await run("SELECT fal_served_from, fal_billed_units, fal_billed_usd FROM jobs WHERE id = \(id)")
            .first.map(PostgresJobRows.billing)
    }

    func recordBilling(
        _ report: FalReport, jobID id: String, usdPerUnit: @escaping @Sendable (String) -> Double?
    ) async throws -> BillingRecorded? {
        try await transaction { writes in
            guard let job = try await writes.lockedJob(id),
                let recorded = BillingRecorded.merging(report, into: job, usdPerUnit: usdPerUnit)
            else { return nil }
            let billing = recorded.job.billing
            try await writes.run(
                """
                UPDATE jobs SET fal_served_from = \(billing.servedFrom), fal_billed_units = \(billing.billedUnits),
                    fal_billed_usd = \(billing.billedUSD)
                WHERE id = \(id)
                """)
            if let note = recorded.fallbackNote {
                try await writes.run(
                    """
                    UPDATE job_events SET note = coalesce(note || '; ', '') || \(note)
                    WHERE job_id = \(id) AND seq = (SELECT max(seq) FROM job_events WHERE job_id = \(id))
                    """)
            }
            try await writes.notify(id)
            return recorded
        }
    }
}
