import SpoolStore

/// The operators' reads on SQLite. The indexes are named (`INDEXED BY`): without statistics SQLite's planner
/// prefers the status index, which scans every job.
extension QueueSnapshot {
    static func read(at now: Timestamp, on connection: SQLiteConnection) throws -> QueueSnapshot {
        let counts = try connection.query("SELECT team, status, count FROM job_counts WHERE count > 0").map { row in
            (team: try row.string("team"), status: try row.string("status"), count: try row.int("count"))
        }
        let oldest = try connection.queryScalar(
            "SELECT min(created_at) FROM jobs INDEXED BY jobs_queued_age WHERE status = 'queued'", as: Int64.self)
        let endings = try connection.query(
            """
            SELECT status, count(*) AS n FROM jobs INDEXED BY jobs_finished
            WHERE completed_at IS NOT NULL AND completed_at >= ? GROUP BY status
            """,
            .integer(now.milliseconds - 5 * 60 * 1000)
        ).map { row in (status: try row.string("status"), count: try row.int("n")) }
        return QueueSnapshot(counts: counts, oldestQueuedAt: oldest, lastFiveMinutes: endings, at: now)
    }
}

extension UsageFigures {
    /// A row of `usage_daily`.
    init(row: SQLiteRow) throws {
        team = try row.string("team")
        day = try row.string("day")
        model = try row.string("model")
        jobs = try row.int64("jobs")
        estimatedUSD = try row.double("estimated_cost_usd")
        billedJobs = try row.int64("billed_jobs")
        billedUnits = try row.double("billed_units")
        billedUSD = try row.double("billed_usd")
        billedEstimateUSD = try row.double("billed_estimate_usd")
    }

    /// Lines of `usage_daily` from `from` to `to`, of `team` or of every team.
    static func read(from start: String, to end: String, team: String?, on connection: SQLiteConnection) throws
        -> [UsageFigures] {
        var sql = """
            SELECT team, day, model, jobs, estimated_cost_usd, billed_jobs, billed_units, billed_usd,
                billed_estimate_usd
            FROM usage_daily WHERE day >= ? AND day <= ?
            """
        var bindings: [SQLiteValue] = [.text(start), .text(end)]
        if let team {
            sql += " AND team = ?"
            bindings.append(.text(team))
        }
        return try connection.query(sql + " ORDER BY day, team, model", bindings: bindings).map(UsageFigures.init(row:))
    }
}
