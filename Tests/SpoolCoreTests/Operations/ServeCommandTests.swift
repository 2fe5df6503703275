import Foundation
import SpoolFal
import SpoolJSON
import SpoolTestSupport
import Testing
@testable import SpoolCore

@Suite("`spool serve`, the real binary: no silent emulator, and keys made by `spool keys` act on the running server")
struct ServeCommandTests {
    static let binary = RepositoryPaths.root + "/.build/debug/spool"

    @Test("without FAL_KEY and without --sim, serve refuses to start, says why on stderr and exits non-zero",
          .enabled(if: FileManager.default.isExecutableFile(atPath: binary)))
    func refusesWithoutFalKey() async throws {
        let directory = try TemporaryDirectory()
        let database = directory.path + "/spool.db"
        let outcome = try await ChildProcess.run(
            Self.binary, ["serve"],
            environment: ["SPOOL_LISTEN": "127.0.0.1:0", "SPOOL_DB": database],
            timeoutSeconds: 60)
        #expect(outcome.status != 0)
        #expect(outcome.output.contains(
            "FAL_KEY is not set: set it to use fal, or pass --sim to run against the built-in emulator"), "\(outcome.output)")
        #expect(!FileManager.default.fileExists(atPath: database), "nothing was started, not even the database")
    }

    @Test("serve --sim says fal is emulated (start log and /readyz); a key from `spool keys create` works on the next request and `spool keys revoke` lands",
          .enabled(if: FileManager.default.isExecutableFile(atPath: binary)))
    func simIsMarkedAndKeysActAtOnce() async throws {
        let directory = try TemporaryDirectory()
        let environment = [
            "SPOOL_LISTEN": "127.0.0.1:0", "SPOOL_DB": directory.path + "/spool.db", "SPOOL_LOG_FORMAT": "json",
        ]
        let gateway = try BackgroundProcess(Self.binary, ["serve", "--sim", "--sim-port", "0"], environment: environment, logPath: directory.path + "/spool.log")
        var stopped = false
        defer { if !stopped { gateway.stop() } }
        let client = HTTPClient()
        defer { client.shutdown() }
        let base = "http://127.0.0.1:\(try await gateway.servingPort())"
        try await eventually("the server answers /healthz", within: .seconds(30)) {
            (try? await client.execute(HTTPClientRequest(url: base + "/healthz")))?.status == 200
        }
        let readiness = try JSONValue(parsing: try await client.execute(HTTPClientRequest(url: base + "/readyz")).body)
        #expect(readiness["fal"]?.stringValue == "emulator")
        #expect(gateway.log.contains("\"fal_emulated\":\"true\""), "\(gateway.log)")

        let created = try await ChildProcess.run(Self.binary, ["keys", "create", "--team", "marketing"], environment: environment)
        #expect(created.status == 0, "\(created.output)")
        let key = String(created.output.split(separator: "\n").last ?? "")
        let keyID = try #require(APIKeySecret.keyID(of: key))
        let headers = [("Authorization", "Bearer \(key)")]
        let first = try await client.execute(HTTPClientRequest(url: base + "/v1/jobs", headers: headers))
        #expect(first.status == 200, "\(String(decoding: first.body, as: UTF8.self))")

        let revoked = try await ChildProcess.run(Self.binary, ["keys", "revoke", keyID], environment: environment)
        #expect(revoked.status == 0, "\(revoked.output)")
        let status = try await lastRead({
            try await client.execute(HTTPClientRequest(url: base + "/v1/jobs", headers: headers)).status
        }, until: { $0 == 401 })
        #expect(status == 401)
        stopped = true
        #expect(gateway.stop() == 0)
    }
}
