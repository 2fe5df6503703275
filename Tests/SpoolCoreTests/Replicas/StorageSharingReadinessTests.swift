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
        try await withGateway(backend: .postgres) { local in
            let warned = try await local.request(.get, "/readyz")
            #expect(warned.status == 200)
            #expect(warned.json["warnings"]?["storage"]?.stringValue?.contains("storage.shared") == true)

            try await withGateway(backend: .postgres, configure: { $0.storage.shared = true }) { shared in
                #expect(try await shared.request(.get, "/readyz").json["warnings"]?.objectValue?.isEmpty == true)

                try await withGateway(backend: .sqlite) { sqlite in
                    let ready = try await sqlite.request(.get, "/readyz")
                    #expect(ready.json["warnings"]?.objectValue?.isEmpty == true)
                }
            }
        }
    }
}
