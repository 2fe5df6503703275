import SpoolStore

/// Picks the next job to hand to fal on SQLite, and takes back jobs whose claim lapsed.
///
/// Order: the highest priority first; among equal priorities the team with the fewest jobs in flight, then the
/// team served least recently, then the oldest job. So one team's flood of jobs cannot starve another team,
/// while an explicit priority still wins. Caps: `maxInflight` over all teams and each team's own cap.
enum JobClaims {
    struct Policy {
        var maxInflight: Int
        var teamLimit: (String) -> Int?
        /// When each team last had a job claimed, as an increasing turn number kept by the dispatcher.
        var lastClaimed: [String: Int64]
    }

    /// Claims one job: moves it to `submitting` with a lease for `owner`, counts the attempt and records it.
    static func claimNext(
        at now: Timestamp, owner: String, leaseSeconds: Double, policy: Policy, on connection: SQLiteConnection
    ) throws -> JobTransitions.Change? {
        var queued: [String: Int] = [:]
        var inflight: [String: Int] = [:]
        for row in try connection.query(
            "SELECT team, status, count FROM job_counts WHERE count > 0 AND status IN ('queued', 'submitting', 'in_queue', 'in_progress')")
        {
            let team = try row.string("team")
            if try row.string("status") == "queued" {
                queued[team] = try row.int("count")
            } else {
                inflight[team, default: 0] += try row.int("count")
            }
        }
        guard inflight.values.reduce(0, +) < policy.maxInflight else { return nil }

        struct Candidate {
            var team: String
            var seq: Int64
            var priority: Int
        }
        var best: Candidate?
        func better(_ a: Candidate, than b: Candidate) -> Bool {
            if a.priority != b.priority { return a.priority > b.priority }
            let flightA = inflight[a.team] ?? 0, flightB = inflight[b.team] ?? 0
            if flightA != flightB { return flightA < flightB }
            let servedA = policy.lastClaimed[a.team] ?? 0, servedB = policy.lastClaimed[b.team] ?? 0
            if servedA != servedB { return servedA < servedB }
            return a.seq < b.seq
        }
        for team in queued.keys {
            if let cap = policy.teamLimit(team), (inflight[team] ?? 0) >= cap { continue }
            guard let head = try connection.queryRow(
                """
                SELECT seq, priority FROM jobs WHERE team = ? AND status = 'queued' AND run_after <= ?
                ORDER BY priority DESC, seq LIMIT 1
                """, .text(team), .integer(now.milliseconds))
            else { continue }
            let candidate = Candidate(team: team, seq: try head.int64("seq"), priority: try head.int("priority"))
            if best == nil || better(candidate, than: best!) { best = candidate }
        }
        guard let chosen = best,
            let id = try connection.queryScalar("SELECT id FROM jobs WHERE seq = ?", .integer(chosen.seq), as: String.self)
        else { return nil }
        let change = try SQLiteJobTransitions.update(id, at: now, note: nil, on: connection) { job in
            job.status = .submitting
            job.attempts += 1
            job.queuePosition = nil
        }
        try connection.run(
            "UPDATE jobs SET lease_owner = ?, lease_expires_at = ? WHERE id = ?",
            .text(owner), .integer(now.adding(seconds: leaseSeconds).milliseconds), .text(id))
        return change
    }

    /// Whether a claim could succeed: a job waits and a slot is free. Read on a reader first, so that a full
    /// pipeline does not take the writer for nothing.
    static func mightClaim(maxInflight: Int, on connection: SQLiteConnection) throws -> Bool {
        var queued = 0, inflight = 0
        for row in try connection.query(
            "SELECT status, sum(count) AS n FROM job_counts WHERE status IN ('queued', 'submitting', 'in_queue', 'in_progress') GROUP BY status")
        {
            if try row.string("status") == "queued" { queued = try row.int("n") } else { inflight += try row.int("n") }
        }
        return queued > 0 && inflight < maxInflight
    }

    /// The earliest time a queued job becomes ready, for the dispatcher's timer; nil when nothing waits.
    static func nextReadyTime(on connection: SQLiteConnection) throws -> Timestamp? {
        try connection.queryScalar("SELECT min(run_after) FROM jobs INDEXED BY jobs_ready_time WHERE status = 'queued'", as: Int64.self)
            .map(Timestamp.init(milliseconds:))
    }

    /// Jobs stuck in `submitting` with a lease that ran out, and — when `exceptOwner` is given — every job in
    /// `submitting` claimed by another process (a restarted gateway takes back what its predecessor held).
    static func lapsedClaims(at now: Timestamp, exceptOwner: String?, on connection: SQLiteConnection) throws -> [JobClaim] {
        var sql = """
            SELECT id, lease_owner, lease_expires_at FROM jobs
            WHERE status = 'submitting' AND (lease_expires_at IS NULL OR lease_expires_at < ?
            """
        var bindings: [SQLiteValue] = [.integer(now.milliseconds)]
        if let owner = exceptOwner {
            sql += " OR lease_owner IS NOT ?"
            bindings.append(.text(owner))
        }
        return try connection.query(sql + ")", bindings: bindings).map { row in
            JobClaim(jobID: try row.string("id"), owner: try row.optionalString("lease_owner"),
                  expiresAt: try row.optionalInt64("lease_expires_at"))
        }
    }

    /// Whether `claim` still stands exactly as it was read: the job in `submitting` under the same owner and lease.
    static func stillHolds(_ claim: JobClaim, on connection: SQLiteConnection) throws -> Bool {
        try connection.queryRow(
            """
            SELECT 1 FROM jobs WHERE id = ? AND status = 'submitting' AND lease_owner IS ? AND lease_expires_at IS ?
            """, .text(claim.jobID), .nullableText(claim.owner), claim.expiresAt.map { .integer($0) } ?? .null) != nil
    }

    /// Whether `owner` holds the claim on job `id` (it is in `submitting` under `owner`'s lease).
    static func isHeld(_ id: String, by owner: String, on connection: SQLiteConnection) throws -> Bool {
        try connection.queryRow(
            "SELECT 1 FROM jobs WHERE id = ? AND status = 'submitting' AND lease_owner = ?", .text(id), .text(owner)) != nil
    }

    /// Extends `owner`'s lease on job `id` to `until`; false when the claim is no longer `owner`'s.
    static func renewLease(
        _ id: String, owner: String, until: Timestamp, on connection: SQLiteConnection
    ) throws -> Bool {
        try connection.run(
            "UPDATE jobs SET lease_expires_at = ? WHERE id = ? AND status = 'submitting' AND lease_owner = ?",
            .integer(until.milliseconds), .text(id), .text(owner)) > 0
    }
}
