import Foundation
import SpoolFal
import SpoolJSON
import SpoolResources
import SpoolTestSupport
import Testing
@testable import SpoolCore

/// The built `spool` binary copied alone into an empty folder, run from another empty folder: nothing of the
/// checkout is within reach, so migrations, catalog and workbench can only come from the binary itself.
@Suite("The binary alone, away from the checkout")
struct BinaryAloneTests {
    static let built = RepositoryPaths.root + "/.build/debug/spool"

    @Test("copied alone into an empty folder, it migrates, serves the catalog and the workbench, runs a job with serve --sim, and says where to go at start",
          .enabled(if: FileManager.default.isExecutableFile(atPath: built), "needs the built binary (swift build)"),
          .timeLimit(.minutes(3)))
    func runsAlone() async throws {
        let home = try TemporaryDirectory()
        let work = try TemporaryDirectory()
        let binary = home.path + "/spool"
        // cp in its own process: a copy written by this process could be inherited, still open for writing, by a
        // child another test spawns meanwhile, and then refuse to run ("Text file busy").
        let copied = try await ChildProcess.run("/bin/cp", [Self.built, binary])
        #expect(copied.status == 0, "\(copied.output)")
        let port = try FreePort.pick()
        let environment = ["SPOOL_LISTEN": "127.0.0.1:\(port)", "SPOOL_ADMIN_KEY": "spool-dev-admin-key",
                           "PATH": "/usr/bin:/bin"]

        let migrated = try await ChildProcess.run(binary, ["migrate"], environment: environment, directory: work.path)
        #expect(migrated.status == 0, "\(migrated.output)")
        #expect(migrated.output.contains("0001_init.sql"), "\(migrated.output)")

        let server = try BackgroundProcess(binary, ["serve", "--sim", "--sim-port", "0"], environment: environment,
                                           logPath: home.path + "/serve.log", directory: work.path)
        defer { server.stop() }
        let client = HTTPClient()
        defer { client.shutdown() }
        let base = "http://127.0.0.1:\(port)"
        let auth = [("Authorization", "Bearer spool-dev-admin-key")]
        try await eventually("the server answers /healthz", within: .seconds(30)) {
            (try? await client.execute(HTTPClientRequest(url: base + "/healthz")))?.status == 200
        }

        let models = try JSONValue(parsing: try await client.execute(HTTPClientRequest(url: base + "/v1/models", headers: auth)).body)
        let data = models["data"]?.arrayValue ?? []
        #expect(data.count == EmbeddedFolder.models.files.count)
        #expect(data.filter { $0["default"]?.boolValue == true }.map { $0["id"]?.stringValue } == ["kling-video-o3-pro-reference-to-video"])
        let page = try await client.execute(HTTPClientRequest(url: base + "/"))
        #expect(page.status == 200 && String(decoding: page.body, as: UTF8.self).contains("/workbench/app.mjs"))

        let submitted = try await client.execute(HTTPClientRequest(
            method: .post, url: base + "/v1/jobs", headers: auth + [("Content-Type", "application/json")],
            body: Array(#"{"model": "kling-video-o3-pro-text-to-video", "input": {"prompt": "A paper boat", "duration": 3}}"#.utf8)))
        #expect(submitted.status == 202, "\(String(decoding: submitted.body, as: UTF8.self))")
        let id = try #require(try JSONValue(parsing: submitted.body)["id"]?.stringValue)
        try await eventually("job \(id) completes", within: .seconds(90)) {
            let job = try? JSONValue(parsing: try await client.execute(HTTPClientRequest(url: base + "/v1/jobs/" + id, headers: auth)).body)
            return job?["status"]?.stringValue == "completed"
        }

        let start = server.log
        #expect(start.contains("API        \(base)/v1"), "\(start)")
        #expect(start.contains("Workbench  \(base)/"), "\(start)")
        #expect(start.contains("emulator"), "\(start)")
        #expect(start.contains("spool-dev-admin-key"), "the development key is printed for a newcomer: \(start)")
        #expect(server.stop() == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: home.path).sorted() == ["serve.log", "spool"])
    }

    @Test("with an admin key of its own, the start block does not print it; --sim-port places the emulator",
          .enabled(if: FileManager.default.isExecutableFile(atPath: built), "needs the built binary (swift build)"),
          .timeLimit(.minutes(2)))
    func keepsARealKeyQuiet() async throws {
        let work = try TemporaryDirectory()
        let (port, simPort) = (try FreePort.pick(), try FreePort.pick())
        let secret = "a-production-admin-key-0123456789"
        let server = try BackgroundProcess(
            Self.built, ["serve", "--sim", "--sim-port", "\(simPort)"],
            environment: ["SPOOL_LISTEN": "127.0.0.1:\(port)", "SPOOL_ADMIN_KEY": secret, "PATH": "/usr/bin:/bin"],
            logPath: work.path + "/serve.log", directory: work.path)
        defer { server.stop() }
        try await eventually("the start block is printed", within: .seconds(30)) { server.log.contains("Workbench") }
        #expect(!server.log.contains(secret))
        #expect(server.log.contains("API        http://127.0.0.1:\(port)/v1"), "\(server.log)")
        #expect(server.log.contains("the built-in emulator at http://127.0.0.1:\(simPort)"), "\(server.log)")
    }
}
