import Foundation
import SpoolFal
import SpoolJSON
import SpoolTestSupport
import Testing
@testable import SpoolCore

@Suite("Secrets: the real binary at trace level never writes the fal key or an API key anywhere")
struct SecretHandlingTests {
    static let binary = RepositoryPaths.root + "/.build/debug/spool"

    @Test("fal key and API keys appear in no log line, no response and no database file; SIGTERM exits 0",
          .enabled(if: FileManager.default.isExecutableFile(atPath: binary)))
    func noSecretsAnywhere() async throws {
        let directory = try TemporaryDirectory()
        let falKey = "fal-secret-\(UUID().uuidString)"
        let adminKey = "admin-secret-\(UUID().uuidString)"
        let (simPort, spoolPort) = (try FreePort.pick(), try FreePort.pick())
        let simulator = try BackgroundProcess(
            Self.binary, ["sim", "--listen", "127.0.0.1:\(simPort)", "--key", falKey, "--queue-seconds", "0.1",
                          "--run-seconds", "0.2", "--log-level", "trace"],
            environment: [:], logPath: directory.path + "/sim.log")
        defer { simulator.stop() }
        var environment = [
            "SPOOL_LISTEN": "127.0.0.1:\(spoolPort)", "SPOOL_DB": directory.path + "/spool.db", "FAL_KEY": falKey,
            "SPOOL_FAL_QUEUE_URL": "http://127.0.0.1:\(simPort)", "SPOOL_FAL_POLL_INTERVAL": "0.05",
            "SPOOL_LOG_LEVEL": "trace", "SPOOL_LOG_FORMAT": "json", "SPOOL_ADMIN_KEY": adminKey,
        ]
        let created = try await ChildProcess.run(Self.binary, ["keys", "create", "--team", "marketing"], environment: environment)
        #expect(created.status == 0, "\(created.output)")
        let teamKey = String(created.output.split(separator: "\n").last ?? "")
        #expect(teamKey.hasPrefix("spool_"))
        environment["PATH"] = "/usr/bin:/bin"
        let gateway = try BackgroundProcess(Self.binary, ["serve"], environment: environment, logPath: directory.path + "/spool.log")

        let client = HTTPClient()
        defer { client.shutdown() }
        let base = "http://127.0.0.1:\(spoolPort)"
        var responses = ""
        try await eventually("the server answers /healthz", within: .seconds(20)) {
            (try? await client.execute(HTTPClientRequest(url: base + "/healthz")))?.status == 200
        }
        let submitted = try await client.execute(HTTPClientRequest(
            method: .post, url: base + "/v1/jobs",
            headers: [("Authorization", "Bearer \(teamKey)"), ("Prefer", "wait=20")], body: submission().serialized()))
        responses += String(decoding: submitted.body, as: UTF8.self)
        let job = try JSONValue(parsing: submitted.body)
        #expect(job["status"]?.stringValue == "completed")
        for path in ["/v1/jobs", "/v1/queue", "/metrics", "/readyz", "/v1/webhook-secret"] {
            let answer = try await client.execute(HTTPClientRequest(url: base + path, headers: [("Authorization", "Bearer \(adminKey)")]))
            responses += String(decoding: answer.body, as: UTF8.self)
        }
        #expect(gateway.stop() == 0)

        let log = gateway.log
        #expect(log.contains("\"level\":\"trace\"") || log.contains("\"level\":\"debug\""))
        var files = [log, responses]
        for name in ["spool.db", "spool.db-wal", "spool.db-shm"] {
            if let data = FileManager.default.contents(atPath: directory.path + "/" + name) {
                files.append(String(decoding: data, as: UTF8.self))
            }
        }
        for secret in [falKey, adminKey, teamKey] {
            for (index, text) in files.enumerated() {
                #expect(!text.contains(secret), "a secret leaked into source \(index)")
            }
        }
        // The emulator was started with `--key`, so the completed job proves the gateway held and sent the key.
    }
}
