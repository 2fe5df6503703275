import PostgresNIO
import SpoolPostgres

/// The operators' reads on PostgreSQL: over every replica's jobs, since they share the tables.
extension PostgresGatewayStore {
    func queueSnapshot(at now: Timestamp) async throws -> QueueSnapshot {
        try await database.transaction(isolation: .repeatableRead) { connection in
            let writes = PostgresJobWrites(connection: connection, logger: logger)
            let counts = try await writes.run("SELECT team, status, count FROM job_counts WHERE count > 0").map { row in
                let record = PostgresRecord(row)
                return (team: try record.string("team"), status: try record.string("status"), count: try record.int("count"))
            }
            let oldest = try await writes.run("SELECT min(created_at) AS t FROM jobs WHERE status = 'queued'")
                .first.flatMap { try PostgresRecord($0).optionalInt64("t") }
            let endings = try await writes.run(
                """
                SELECT status, count(*) AS n FROM jobs
                WHERE completed_at IS NOT NULL AND completed_at >= \(now.milliseconds - 5 * 60 * 1000) GROUP BY status
                """
            ).map { row in
                let record = PostgresRecord(row)
                return (status: try record.string("status"), count: try record.int("n"))
            }
            return QueueSnapshot(counts: counts, oldestQueuedAt: oldest, lastFiveMinutes: endings, at: now)
        }
    }

    func usage(from: String, to: String, team: String?) async throws -> [UsageFigures] {
        try await run(
            """
            SELECT team, day, model, jobs, estimated_cost_usd, billed_jobs, billed_units, billed_usd,
                billed_estimate_usd
            FROM usage_daily WHERE day >= \(from) AND day <= \(to) AND (\(team)::text IS NULL OR team = \(team))
            ORDER BY day, team, model
            """
        ).map { row in
            let record = PostgresRecord(row)
            var figures = UsageFigures()
            figures.team = try record.string("team")
            figures.day = try record.string("day")
            figures.model = try record.string("model")
            figures.jobs = try record.int64("jobs")
            figures.estimatedUSD = try record.double("estimated_cost_usd")
            figures.billedJobs = try record.int64("billed_jobs")
            figures.billedUnits = try record.double("billed_units")
            figures.billedUSD = try record.double("billed_usd")
            figures.billedEstimateUSD = try record.double("billed_estimate_usd")
            return figures
        }
    }

    /// A primary that takes writes: a standby (in recovery) or an unreachable server fails, saying why, within 3 s.
    func checkWritable() async throws {
        let rows = try await PostgresDeadline.within(seconds: 3) { [self] in
            try await run("SELECT pg_is_in_recovery() AS standby")
        }
        if let row = rows.first, try PostgresRecord(row).bool("standby") {
            throw StoredDataError("the PostgreSQL server at \(location) is a standby and takes no writes")
        }
    }
}

extension PostgresDatabaseError: StorageFullError {
    /// SQLSTATE 53100: the server's disk is full.
    var isStorageFull: Bool { sqlState == "53100" }
}
