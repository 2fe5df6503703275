import Foundation
import SpoolFal
import SpoolTestSupport
import Testing
@testable import SpoolCore

/// `spool sim` takes its log settings like every other command: `--config`, `--log-level`, `--log-format`.
@Suite("`spool sim --config`: the emulator reads the configuration file")
struct SimCommandTests {
    @Test("the file's log_format and log_level apply to the emulator's log; a missing file is refused, naming it",
          .enabled(if: SimServe.isBuilt, "needs the built binary (swift build)"),
          .timeLimit(.minutes(2)))
    func readsTheConfigurationFile() async throws {
        let folder = try TemporaryDirectory()
        let file = folder.path + "/spool.json"
        try writeFile(file, #"{"log_format": "json", "log_level": "debug"}"#)
        let port = try FreePort.pick()
        let simulator = try BackgroundProcess(
            SimServe.binary, ["sim", "--config", file, "--listen", "127.0.0.1:\(port)"],
            environment: ["PATH": "/usr/bin:/bin"], logPath: folder.path + "/sim.log", directory: folder.path)
        defer { simulator.stop() }
        try await eventually("the emulator logs that it listens", within: .seconds(30)) { simulator.log.contains("fal emulator listening") }
        let line = try #require(simulator.log.split(separator: "\n").first { $0.contains("fal emulator listening") })
        #expect(line.hasPrefix("{") && line.contains(#""msg":"fal emulator listening""#), "a JSON line: \(line)")
        let client = HTTPClient()
        defer { client.shutdown() }
        #expect(try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/_sim/state")).status == 200)
        #expect(simulator.stop() == 0)

        let missing = try await ChildProcess.run(
            SimServe.binary, ["sim", "--config", folder.path + "/absent.json", "--listen", "127.0.0.1:0"],
            environment: ["PATH": "/usr/bin:/bin"], directory: folder.path, timeoutSeconds: 60)
        #expect(missing.status != 0)
        #expect(missing.output.contains("absent.json"), "\(missing.output)")
    }
}
