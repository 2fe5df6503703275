import Foundation
import SpoolPostgresTesting
import Testing
@testable import SpoolCore

@Suite("PostgreSQL's migrations carried in the binary",
       .enabled(if: PostgresTestServer.isAvailable, "\(PostgresTestServer.unavailableReason ?? "")"),
       .timeLimit(.minutes(2)))
struct EmbeddedPostgresMigrationsTests {
    @Test("a database migrated from the binary's copy of migrations/postgres has nothing left to apply from the folder")
    func carriedMatchTheFolder() async throws {
        var carried = SpoolConfiguration()
        carried.databaseURL = try await StoreBackend.newPostgresDatabase()
        let applied = try await DatabaseSetup.migrate(carried)
        let files = try FileManager.default.contentsOfDirectory(atPath: RepositoryPaths.root + "/migrations/postgres")
        #expect(applied == files.filter { $0.hasSuffix(".sql") }.sorted())

        var fromFolder = carried
        fromFolder.migrationsDirectory = RepositoryPaths.root + "/migrations"
        #expect(try await DatabaseSetup.migrate(fromFolder).isEmpty, "same checksums: nothing applied, nothing refused")
    }
}
