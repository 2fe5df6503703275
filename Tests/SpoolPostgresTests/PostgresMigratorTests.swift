import Foundation
import PostgresNIO
import SpoolPostgres
import SpoolPostgresTesting
import SpoolStore
import Testing

@Suite("PostgreSQL migrations", .enabled(if: PostgresTestServer.isAvailable, "\(PostgresTestServer.unavailableReason ?? "")"),
       .timeLimit(.minutes(2)))
struct PostgresMigratorTests {
    private func tables(_ database: SpoolPostgres.PostgresDatabase) async throws -> [String] {
        try await database.query(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        ).map { try $0.decode(String.self) }
    }

    private func versions(_ database: SpoolPostgres.PostgresDatabase) async throws -> [Int64] {
        try await database.query("SELECT version FROM schema_migrations ORDER BY version").map { try $0.decode(Int64.self) }
    }

    @Test("the project's migrations apply, once: the schema of the SQLite files, and re-running applies nothing")
    func projectMigrationsApply() async throws {
        try await withTestDatabase { database in
            let migrator = PostgresMigrator(directory: PostgresTestServer.migrationsDirectory)
            let applied = try await migrator.migrate(database)
            #expect(applied.map(\.fileName) == ["0001_init.sql", "0003_fal_billing.sql", "0005_job_files.sql", "0006_fal_request_options.sql"])
            #expect(try await tables(database) == [
                "api_keys", "idempotency_keys", "job_counts", "job_events", "job_files", "jobs", "schema_migrations",
                "shared_secrets", "usage_daily", "webhook_deliveries", "webhook_secrets",
            ])
            #expect(try await migrator.migrate(database).isEmpty)
            #expect(try await versions(database) == [1, 3, 5, 6])
        }
    }

    @Test("the triggers keep job counts per team and status, and estimated and billed usage per UTC day")
    func countersFollowJobs() async throws {
        try await withTestDatabase(migrated: true) { database in
            // 2025-12-04T23:59:59.999Z and a millisecond later: two UTC days.
            try await database.query(
                """
                INSERT INTO jobs (id, team, model, fal_endpoint, status, input, fal_webhook_token,
                                  estimated_cost_usd, created_at, updated_at, run_after)
                VALUES ('job_1', 'a', 'm', 'e', 'queued', '{}', 't', 1.5, 1764892799999, 0, 0),
                       ('job_2', 'a', 'm', 'e', 'queued', '{}', 't', 2.0, 1764892799999, 0, 0),
                       ('job_3', 'a', 'm', 'e', 'queued', '{}', 't', 4.0, 1764892800000, 0, 0)
                """)
            try await database.query("UPDATE jobs SET status = 'submitting' WHERE id = 'job_1'")
            try await database.query("UPDATE jobs SET fal_billed_units = 3, fal_billed_usd = 1.25 WHERE id = 'job_1'")
            try await database.query("DELETE FROM jobs WHERE id = 'job_2'")
            let counts = try await database.query("SELECT status, count FROM job_counts WHERE team = 'a' ORDER BY status")
                .map { try $0.decode((String, Int64).self) }
            #expect(counts.map(\.0) == ["queued", "submitting"])
            #expect(counts.map(\.1) == [1, 1])
            let usage = try await database.query(
                """
                SELECT day, jobs, estimated_cost_usd, billed_jobs, billed_units, billed_usd, billed_estimate_usd
                FROM usage_daily ORDER BY day
                """).map { try $0.decode((String, Int64, Double, Int64, Double, Double, Double).self) }
            #expect(usage.count == 2)
            #expect(usage.first.map { [$0.0] } == ["2025-12-04"])
            #expect(usage.first.map { [$0.2, $0.4, $0.5, $0.6] } == [3.5, 3, 1.25, 1.5])
            #expect(usage.first.map { [$0.1, $0.3] } == [2, 1])
            #expect(usage.last.map { [$0.0] } == ["2025-12-05"])
        }
    }

    @Test("an applied file that changed is refused by name, and nothing after it is applied")
    func changedFileRefused() async throws {
        try await withTestDatabase { database in
            let first = Migration(version: 1, name: "a", sql: "CREATE TABLE a (x bigint);")
            try await PostgresMigrator(migrations: [first]).migrate(database)
            let edited = Migration(version: 1, name: "a", sql: "CREATE TABLE a (x bigint, y text);")
            let second = Migration(version: 2, name: "b", sql: "CREATE TABLE b (x bigint);")
            do {
                try await PostgresMigrator(migrations: [edited, second]).migrate(database)
                Issue.record("a changed migration was accepted")
            } catch let error as MigrationError {
                guard case .changedAfterApplied(let fileName, _, _) = error else {
                    Issue.record("unexpected error \(error)")
                    return
                }
                #expect(fileName == "0001_a.sql")
                #expect(error.description.contains("0001_a.sql was changed after it was applied"))
            }
            #expect(try await tables(database) == ["a", "schema_migrations"])
        }
    }

    @Test("a failing migration is rolled back whole and not recorded, and its error names the file")
    func failingMigrationRolledBack() async throws {
        try await withTestDatabase { database in
            let broken = Migration(version: 1, name: "broken", sql: "CREATE TABLE a (x bigint); SELECT nonsense;")
            do {
                try await PostgresMigrator(migrations: [broken]).migrate(database)
                Issue.record("a broken migration was accepted")
            } catch let error as PostgresMigrationError {
                #expect(error.fileName == "0001_broken.sql")
                #expect(error.error.sqlState == "42703")
            }
            #expect(try await tables(database) == ["schema_migrations"])
            #expect(try await versions(database).isEmpty)
        }
    }

    @Test("two migrators started at once both succeed, and exactly one of them applies the migrations")
    func concurrentMigrators() async throws {
        try await withTestDatabase { database in
            let migrator = PostgresMigrator(directory: PostgresTestServer.migrationsDirectory)
            async let first = migrator.migrate(database)
            async let second = migrator.migrate(database)
            let counts = try await [first.count, second.count].sorted()
            #expect(counts == [0, 4])
            #expect(try await versions(database) == [1, 3, 5, 6])
        }
    }
}
