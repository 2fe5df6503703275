import SpoolJSON
import SpoolPostgres
import SpoolPostgresTesting
import SpoolTestSupport
import Testing
@testable import SpoolCore

@Suite("Readiness on PostgreSQL",
       .enabled(if: PostgresTestServer.isAvailable, "\(PostgresTestServer.unavailableReason ?? "")"),
       .timeLimit(.minutes(2)))
struct PostgresReadinessTests {
    @Test("/readyz answers 503 with the database's reason while PostgreSQL refuses the gateway, and ready once it is back")
    func databaseDown() async throws {
        try await withGateway(backend: .postgres) { spool in
            #expect(try await spool.request(.get, "/readyz").status == 200)
            let url = try PostgresURL(try #require(spool.databaseURL))
            let admin = SpoolPostgres.PostgresDatabase(url: url.with(database: "postgres"), maximumConnections: 1, logger: quietLogger("postgres-admin"))
            try await withCleanup {
                try await admin.query("ALTER DATABASE \(unescaped: url.database) WITH ALLOW_CONNECTIONS false")
                try await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = \(url.database)")

                let down = try await spool.request(.get, "/readyz")
                #expect(down.status == 503)
                #expect(down.json["status"]?.stringValue == "not_ready")
                #expect(down.json["failing"]?["database"]?.stringValue?.contains("database") == true, "\(down.text)")

                try await admin.query("ALTER DATABASE \(unescaped: url.database) WITH ALLOW_CONNECTIONS true")
                try await eventually("the gateway is ready again", within: .seconds(30)) {
                    try await spool.request(.get, "/readyz").status == 200
                }
            } cleanup: {
                await admin.shutdown()
            }
        }
    }
}
