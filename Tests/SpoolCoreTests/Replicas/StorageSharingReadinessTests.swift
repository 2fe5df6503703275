import SpoolPostgresTesting
import Testing
@testable import SpoolCore

/// Output files on a database several replicas may share: `/readyz` warns when they are in a folder only this
/// machine sees, and stays ready (a single replica on PostgreSQL is a valid set-up).
@Suite("Readiness and shared storage")
struct StorageSharingReadinessTests {
    @Test("on PostgreSQL a local, undeclared folder is a readiness warning; declared shared, or on SQLite, none",
          .enabled(if: PostgresTestServer.isAvailable))
    func warnsAboutLocalStorage() async throws {
        let local = try await TestGateway.start(backend: .postgres)
        defer { Task { await local.stop() } }
        let warned = try await local.request(.get, "/readyz")
        #expect(warned.status == 200)
        #expect(warned.json["warnings"]?["storage"]?.stringValue?.contains("storage.shared") == true)

        let shared = try await TestGateway.start(backend: .postgres, configure: { $0.storage.shared = true })
        defer { Task { await shared.stop() } }
        #expect(try await shared.request(.get, "/readyz").json["warnings"]?.objectValue?.isEmpty == true)

        let sqlite = try await TestGateway.start(backend: .sqlite)
        defer { Task { await sqlite.stop() } }
        #expect(try await sqlite.request(.get, "/readyz").json["warnings"]?.objectValue?.isEmpty == true)
    }
}
