import Logging
import PostgresNIO

/// Claims queued jobs for submission to fal, safely from any number of replicas at once.
///
/// One claim is two statements in one transaction:
/// 1. `pg_advisory_xact_lock` on the claim key: claims queue behind each other for the few milliseconds one takes,
///    so the in-flight counts the next statement reads include every committed claim — the global and per-team caps
///    hold for the cluster, not per process. The lock goes with the transaction, even when a replica dies.
/// 2. One statement that reads the in-flight counts (`job_counts`, kept by triggers), takes up to `limit` ready
///    jobs of each waiting team with `FOR UPDATE SKIP LOCKED` (a job another transaction holds — a cancel, say — is
///    passed over, never waited for), orders them by priority, then fair share (the team that would have the fewest
///    jobs in flight goes first, so teams alternate), then age, keeps what the caps allow, moves those to
///    `submitting` with a lease and the attempt counted, and appends their history row.
package enum PostgresJobClaims {
    /// The advisory lock key of claims ("spool-cl" in ASCII).
    static let lockKey: Int64 = 0x7370_6F6F_6C2D_636C

    /// Claims up to `limit` jobs ready at `now` (milliseconds since the epoch) for `owner`, leased until
    /// `now + leaseMilliseconds`. Run inside a transaction (``PostgresDatabase/transaction(isolation:attempts:_:)``):
    /// a `NOTIFY` of the transitions can go in the same one. Returns the claimed jobs by priority, then age.
    package static func claim(
        limit: Int, at now: Int64, owner: String, leaseMilliseconds: Int64, policy: ClaimPolicy,
        on connection: PostgresConnection, logger: Logger
    ) async throws -> [ClaimedJob] {
        guard limit > 0 else { return [] }
        try await PostgresDatabase.rows("SELECT pg_advisory_xact_lock(\(lockKey))", on: connection, logger: logger)
        let teams = policy.teamLimits.keys.sorted()
        let caps = teams.map { Int64(policy.teamLimits[$0] ?? 0) }
        let rows = try await PostgresDatabase.rows(
            """
            WITH inflight AS (
                SELECT team, sum(count)::bigint AS n FROM job_counts
                WHERE status IN ('submitting', 'in_queue', 'in_progress') GROUP BY team
            ),
            caps AS (
                SELECT team, cap FROM unnest(\(teams)::text[], \(caps)::bigint[]) AS c(team, cap)
            ),
            candidates AS (
                SELECT j.id, j.team, j.priority, j.seq
                FROM (SELECT team FROM job_counts WHERE status = 'queued' AND count > 0) AS waiting
                CROSS JOIN LATERAL (
                    SELECT id, team, priority, seq FROM jobs
                    WHERE team = waiting.team AND status = 'queued' AND run_after <= \(now)::bigint
                    ORDER BY priority DESC, seq
                    LIMIT \(Int64(limit))::bigint
                    FOR UPDATE SKIP LOCKED
                ) AS j
            ),
            ranked AS (
                SELECT c.id, c.priority, c.seq, coalesce(caps.cap, \(policy.defaultTeamLimit.map(Int64.init))::bigint) AS cap,
                       coalesce(f.n, 0) + row_number() OVER (PARTITION BY c.team ORDER BY c.priority DESC, c.seq)
                           AS team_load
                FROM candidates c
                LEFT JOIN inflight f ON f.team = c.team
                LEFT JOIN caps ON caps.team = c.team
            ),
            chosen AS (
                SELECT id FROM ranked
                WHERE cap IS NULL OR team_load <= cap
                ORDER BY priority DESC, team_load, seq
                LIMIT greatest(0, least(\(Int64(limit))::bigint,
                                        \(Int64(policy.maxInflight))::bigint - (SELECT coalesce(sum(n), 0) FROM inflight)))
            ),
            claimed AS (
                UPDATE jobs SET status = 'submitting', attempts = attempts + 1, queue_position = NULL,
                    lease_owner = \(owner), lease_expires_at = \(now)::bigint + \(leaseMilliseconds)::bigint,
                    updated_at = \(now)::bigint
                WHERE id IN (SELECT id FROM chosen)
                RETURNING id, team, priority, attempts, seq
            ),
            history AS (
                INSERT INTO job_events (job_id, seq, status, at, attempt)
                SELECT c.id, coalesce((SELECT max(e.seq) FROM job_events e WHERE e.job_id = c.id), 0) + 1,
                       'submitting', \(now)::bigint, c.attempts
                FROM claimed c
            )
            SELECT id, team, priority, attempts, seq FROM claimed ORDER BY priority DESC, seq
            """, on: connection, logger: logger)
        return try rows.map { row in
            let (id, team, priority, attempts, seq) = try row.decode((String, String, Int32, Int32, Int64).self)
            return ClaimedJob(id: id, team: team, priority: Int(priority), attempts: Int(attempts), seq: seq)
        }
    }
}

extension PostgresDatabase {
    /// ``PostgresJobClaims/claim(limit:at:owner:leaseMilliseconds:policy:on:logger:)`` in a transaction of its own,
    /// run again (up to three times in all) if PostgreSQL aborts it to break a deadlock: a claim does nothing but
    /// database work, so a second run is safe.
    package func claimJobs(
        limit: Int, at now: Int64, owner: String, leaseMilliseconds: Int64, policy: ClaimPolicy
    ) async throws -> [ClaimedJob] {
        try await transaction(attempts: 3) { connection in
            try await PostgresJobClaims.claim(limit: limit, at: now, owner: owner, leaseMilliseconds: leaseMilliseconds,
                                              policy: policy, on: connection, logger: logger)
        }
    }
}
