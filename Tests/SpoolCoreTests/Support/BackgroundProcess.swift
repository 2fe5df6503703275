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

/// posix_spawn with every signal unblocked in the child (the spawning thread may block SIGTERM, and a child
/// inherits its mask), for the test helpers that start programs.
enum Spawn {
    static func start(
        _ program: String, _ arguments: [String], environment: [String: String], directory: String? = nil,
        files: (inout posix_spawn_file_actions_t) -> Void
    ) throws -> pid_t {
        // glibc's posix_spawn_file_actions_addchdir_np is not visible to Swift here; env(1) changes directory
        // and then replaces itself with the program, so the pid is still the program's.
        if let directory {
            return try start("/usr/bin/env", ["-C", directory, program] + arguments, environment: environment, files: files)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        files(&actions)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        var argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, program, &actions, &attributes, &argv, &envp)
        guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .ENOENT) }
        return child
    }

    /// A pipe whose two ends close on exec, so that only the child it is handed to (by a `dup2` file action,
    /// which clears the flag on the copy) holds its write end; a program another test starts meanwhile must not
    /// inherit it, or reading to the end would wait for that program to exit.
    static func pipe() throws -> [Int32] {
        var ends: [Int32] = [0, 0]
        guard Glibc.pipe(&ends) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EMFILE) }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        return ends
    }

    /// Waits for `pid` and returns its exit status (128 + signal when a signal ended it).
    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}
