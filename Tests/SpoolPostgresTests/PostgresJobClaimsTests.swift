import PostgresNIO
import SpoolPostgres
import SpoolPostgresTesting
import Testing

@Suite("PostgreSQL job claims", .enabled(if: PostgresTestServer.isAvailable, "\(PostgresTestServer.unavailableReason ?? "")"),
       .timeLimit(.minutes(2)))
struct PostgresJobClaimsTests {
    /// Inserts `count` queued jobs for each of `teams`, ready at time 0; job `i` of a team has priority
    /// `priorities[i]` when given, else 0.
    private func queue(_ count: Int, for teams: [String], priorities: [Int: Int] = [:],
                       in database: SpoolPostgres.PostgresDatabase) async throws {
        for team in teams {
            for index in 1...count {
                let id = "job_\(team)_\(index)"
                let priority = Int32(priorities[index] ?? 0)
                try await database.query(
                    """
                    INSERT INTO jobs (id, team, model, fal_endpoint, status, input, fal_webhook_token, priority,
                                      created_at, updated_at, run_after)
                    VALUES (\(id), \(team), 'm', 'e', 'queued', '{}', 't', \(priority), 0, 0, 0)
                    """)
            }
        }
    }

    private func claim(_ database: SpoolPostgres.PostgresDatabase, limit: Int, owner: String = "replica-a",
                       policy: ClaimPolicy) async throws -> [ClaimedJob] {
        try await database.claimJobs(limit: limit, at: 1_000, owner: owner, leaseMilliseconds: 30_000, policy: policy)
    }

    @Test("a claim moves jobs to submitting with the lease, the attempt counted and a history row")
    func claimRecordsLeaseAndHistory() async throws {
        try await withTestDatabase(migrated: true) { database in
            try await queue(1, for: ["a"], in: database)
            let claimed = try await claim(database, limit: 5, policy: ClaimPolicy(maxInflight: 10))
            #expect(claimed == [ClaimedJob(id: "job_a_1", team: "a", priority: 0, attempts: 1, seq: 1)])
            let row = try await database.query(
                "SELECT status, lease_owner, lease_expires_at FROM jobs WHERE id = 'job_a_1'"
            ).first?.decode((String, String, Int64).self)
            #expect(row.map { [$0.0, $0.1, String($0.2)] } == ["submitting", "replica-a", "31000"])
            let history = try await database.query("SELECT seq, status, at, attempt FROM job_events")
                .map { try $0.decode((Int32, String, Int64, Int32).self) }
            #expect(history.map { "\($0.0) \($0.1) \($0.2) \($0.3)" } == ["1 submitting 1000 1"])
            #expect(try await claim(database, limit: 5, policy: ClaimPolicy(maxInflight: 10)).isEmpty)
        }
    }

    @Test("claims go by priority, then to the team with the fewest in flight, then by age; a team's cap holds")
    func orderAndTeamCaps() async throws {
        try await withTestDatabase(migrated: true) { database in
            try await queue(4, for: ["a", "b", "c"], priorities: [4: 1], in: database)
            let policy = ClaimPolicy(maxInflight: 100, teamLimits: ["c": 1])
            let claimed = try await claim(database, limit: 6, policy: policy).map(\.id)
            // Priority 1 first (c's job fills c's cap), then a and b alternate oldest first; returned by priority,
            // then age.
            #expect(claimed == ["job_a_4", "job_b_4", "job_c_4", "job_a_1", "job_a_2", "job_b_1"])
        }
    }

    @Test("the global in-flight cap counts jobs of every replica and every in-flight status")
    func globalCap() async throws {
        try await withTestDatabase(migrated: true) { database in
            try await queue(5, for: ["a"], in: database)
            try await database.query("UPDATE jobs SET status = 'in_progress' WHERE id IN ('job_a_1', 'job_a_2')")
            let claimed = try await claim(database, limit: 10, policy: ClaimPolicy(maxInflight: 3))
            #expect(claimed.map(\.id) == ["job_a_3"])
            #expect(try await claim(database, limit: 10, owner: "replica-b", policy: ClaimPolicy(maxInflight: 3)).isEmpty)
        }
    }

    @Test("many claimers on their own connections at once never claim a job twice and never pass the caps")
    func concurrentClaimers() async throws {
        try await withTestDatabase(migrated: true) { database in
            try await queue(30, for: ["a", "b"], in: database)
            let policy = ClaimPolicy(maxInflight: 25, teamLimits: ["b": 7])
            let claims = try await withThrowingTaskGroup(of: [ClaimedJob].self) { group in
                for replica in 0..<8 {
                    group.addTask {
                        var mine: [ClaimedJob] = []
                        for _ in 0..<6 {
                            mine += try await claim(database, limit: 2, owner: "replica-\(replica)", policy: policy)
                        }
                        return mine
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(Set(claims.map(\.id)).count == claims.count)
            #expect(claims.count == 25)
            #expect(claims.filter { $0.team == "b" }.count == 7)
            let submitting = try await database.query("SELECT count(*) FROM jobs WHERE status = 'submitting'")
                .first?.decode(Int64.self)
            #expect(submitting == 25)
        }
    }
}
