import PostgresNIO
import SpoolPostgres

/// Claims and leases on PostgreSQL: `PostgresJobClaims` takes the jobs for the whole cluster's caps; the leases of
/// submitted and followed jobs live on the job rows, so any replica can take over what a dead one held.
extension PostgresGatewayStore {
    func mightClaim(maxInflight: Int) async throws -> Bool {
        var queued = 0, inflight = 0
        for row in try await run(
            """
            SELECT status, sum(count)::bigint AS n FROM job_counts
            WHERE status IN ('queued', 'submitting', 'in_queue', 'in_progress') GROUP BY status
            """)
        {
            let record = PostgresRecord(row)
            if try record.string("status") == "queued" { queued = try record.int("n") } else { inflight += try record.int("n") }
        }
        return queued > 0 && inflight < maxInflight
    }

    /// Fair share on PostgreSQL needs no memory of turns: among equal priorities the team that would have the
    /// fewest jobs in flight goes first, so teams alternate by themselves; `turns` comes back as it went in.
    func claim(
        limit: Int, at now: Timestamp, owner: String, leaseSeconds: Double, rules: ClaimRules, turns: [String: Int64]
    ) async throws -> (changes: [JobTransitions.Change], turns: [String: Int64]) {
        let policy = ClaimPolicy(
            maxInflight: rules.maxInflight,
            teamLimits: rules.teams.overrides.keys.reduce(into: [:]) { caps, team in caps[team] = rules.teamLimit(team) },
            defaultTeamLimit: rules.teams.defaults.maxInflight)
        let changes = try await database.transaction(attempts: 3) { connection in
            let writes = PostgresJobWrites(connection: connection, logger: logger)
            let claimed = try await PostgresJobClaims.claim(
                limit: limit, at: now.milliseconds, owner: owner, leaseMilliseconds: Int64(leaseSeconds * 1000),
                policy: policy, on: connection, logger: logger)
            var changes: [JobTransitions.Change] = []
            for claim in claimed {
                guard let job = try await writes.run(
                    "SELECT \(unescaped: PostgresJobRows.columns) FROM jobs WHERE id = \(claim.id)"
                ).first.map(PostgresJobRows.job),
                    let event = try await writes.run(
                        """
                        SELECT seq, status, at, attempt, note FROM job_events WHERE job_id = \(claim.id)
                        ORDER BY seq DESC LIMIT 1
                        """).first.map(PostgresJobRows.event)
                else { throw StoredDataError("claimed job \(claim.id) cannot be read back") }
                try await writes.enqueueDelivery(for: job, at: now)
                try await writes.notify(job.id)
                changes.append(JobTransitions.Change(job: job, event: event, previous: .queued))
            }
            return changes
        }
        return (changes, turns)
    }

    func nextReadyTime() async throws -> Timestamp? {
        try await run("SELECT min(run_after) AS t FROM jobs WHERE status = 'queued'")
            .first.flatMap { try PostgresRecord($0).time("t") }
    }

    func lapsedClaims(at now: Timestamp, exceptOwner: String?) async throws -> [JobClaim] {
        try await run(
            """
            SELECT id, lease_owner, lease_expires_at FROM jobs
            WHERE status = 'submitting' AND (lease_expires_at IS NULL OR lease_expires_at < \(now.milliseconds)
                OR (\(exceptOwner)::text IS NOT NULL AND lease_owner IS DISTINCT FROM \(exceptOwner)))
            """
        ).map { row in
            let record = PostgresRecord(row)
            return JobClaim(
                jobID: try record.string("id"), owner: try record.optionalString("lease_owner"),
                expiresAt: try record.optionalInt64("lease_expires_at"))
        }
    }

    func requeue(_ claim: JobClaim, at time: Timestamp, note: String) async throws -> JobTransitions.Change? {
        try await transaction { writes in
            guard try await !writes.run(
                """
                SELECT 1 FROM jobs WHERE id = \(claim.jobID) AND status = 'submitting'
                  AND lease_owner IS NOT DISTINCT FROM \(claim.owner)
                  AND lease_expires_at IS NOT DISTINCT FROM \(claim.expiresAt)::bigint
                FOR UPDATE
                """).isEmpty
            else { return nil }
            return try await writes.update(claim.jobID, expecting: .submitting, at: time, note: note) {
                $0.status = .queued
            }
        }
    }

    func renewLease(_ id: String, owner: String, until: Timestamp) async throws -> Bool {
        try await !run(
            """
            UPDATE jobs SET lease_expires_at = \(until.milliseconds)
            WHERE id = \(id) AND status = 'submitting' AND lease_owner = \(owner)
            RETURNING id
            """).isEmpty
    }

    func takeOverFollowing(at now: Timestamp, owner: String, until: Timestamp) async throws -> [Job] {
        try await run(
            """
            UPDATE jobs SET lease_owner = \(owner), lease_expires_at = \(until.milliseconds)
            WHERE id IN (
                SELECT id FROM jobs
                WHERE status IN ('in_queue', 'in_progress') AND fal_request_id IS NOT NULL
                  AND (lease_expires_at IS NULL OR lease_expires_at < \(now.milliseconds))
                FOR UPDATE SKIP LOCKED)
            RETURNING \(unescaped: PostgresJobRows.columns)
            """).map(PostgresJobRows.job)
    }

    func releaseFollowing(owner: String) async throws {
        try await run(
            """
            UPDATE jobs SET lease_owner = NULL, lease_expires_at = NULL
            WHERE lease_owner = \(owner) AND status IN ('in_queue', 'in_progress')
            """)
    }

    func renewFollowing(_ jobIDs: [String], owner: String, until: Timestamp) async throws {
        try await run(
            """
            UPDATE jobs SET lease_expires_at = \(until.milliseconds)
            WHERE lease_owner = \(owner) AND status IN ('in_queue', 'in_progress') AND id = ANY(\(jobIDs))
            """)
    }
}
