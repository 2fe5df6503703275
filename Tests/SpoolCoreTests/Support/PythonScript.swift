import Foundation

/// Runs a script of Tests/python in the project's virtualenv and returns its exit status and output.
enum PythonScript {
    struct Outcome {
        var status: Int32
        var output: String
    }

    static func run(_ script: String, _ arguments: [String]) async throws -> Outcome {
        guard FileManager.default.isExecutableFile(atPath: PythonReceiver.python) else { throw PythonReceiver.PythonMissing() }
        return try await ChildProcess.run(
            PythonReceiver.python, [RepositoryPaths.root + "/Tests/python/" + script] + arguments)
    }
}

/// Runs a program to completion with posix_spawn, collecting stdout and stderr together, off the cooperative
/// threads (Foundation's `Process.waitUntilExit` spins on them here).
enum ChildProcess {
    static func run(_ program: String, _ arguments: [String], environment: [String: String]? = nil) async throws
        -> PythonScript.Outcome
    {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try runBlocking(program, arguments, environment: environment) })
            }
        }
    }

    private static func runBlocking(_ program: String, _ arguments: [String], environment: [String: String]?) throws
        -> PythonScript.Outcome
    {
        var pipe: [Int32] = [0, 0]
        guard Glibc.pipe(&pipe) == 0 else { throw POSIXError(.EMFILE) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, pipe[1], 2)
        posix_spawn_file_actions_addclose(&actions, pipe[0])
        var argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let variables = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        var envp: [UnsafeMutablePointer<CChar>?] = variables.map { strdup($0) } + [nil]
        defer { envp.forEach { free($0) } }
        var child: pid_t = 0
        let spawned = posix_spawn(&child, program, &actions, nil, &argv, &envp)
        close(pipe[1])
        defer { close(pipe[0]) }
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .ENOENT) }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(pipe[0], &buffer, buffer.count)
            if count <= 0 { break }
            output.append(contentsOf: buffer[0..<count])
        }
        var status: Int32 = 0
        waitpid(child, &status, 0)
        let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return PythonScript.Outcome(status: exitCode, output: String(decoding: output, as: UTF8.self))
    }
}
