import Foundation
import SpoolTestSupport

/// A long-running program (the `spool` binary) started with posix_spawn, its stdout and stderr in a file.
final class BackgroundProcess: Sendable {
    let pid: pid_t
    let logPath: String

    /// Starts `program` in `directory` (the test's own working directory when nil).
    init(
        _ program: String, _ arguments: [String], environment: [String: String], logPath: String,
        directory: String? = nil
    ) throws {
        pid = try Spawn.start(program, arguments, environment: environment, directory: directory) { actions in
            posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        self.logPath = logPath
    }

    /// Sends SIGTERM and waits for the process to end; returns its exit status.
    @discardableResult
    func stop() -> Int32 {
        kill(pid, SIGTERM)
        return Spawn.wait(pid)
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// The port a `spool serve` started on `127.0.0.1:0` bound, read from its "spool is serving" notice (text or
    /// JSON log) once it is there: race-free, where a port picked in advance may be taken before the server binds it.
    func servingPort(within limit: Duration = .seconds(30)) async throws -> Int {
        var port: Int?
        try await eventually("the server logs the port it serves on", within: limit) {
            port = Self.servingPort(in: log)
            return port != nil
        }
        guard let port else { throw TestFailure("no port in \(log)") }
        return port
    }

    /// The number after `port` in the "spool is serving" line of `log` (`port=8080` or `"port":"8080"`).
    static func servingPort(in log: String) -> Int? {
        guard let line = log.split(separator: "\n").first(where: { $0.contains("spool is serving") }),
            let range = line.range(of: #"\bport\W{1,3}[0-9]+"#, options: .regularExpression)
        else { return nil }
        return Int(String(line[range].filter(\.isNumber)))
    }
}
