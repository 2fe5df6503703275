import Foundation

/// Runs a script of Tests/python in the project's virtualenv and returns its exit status and output.
enum PythonScript {
    struct Outcome {
        var status: Int32
        var output: String
    }

    /// Runs `Tests/python/<script>`; a script still running after `timeoutSeconds`
    /// is killed.
    static func run(_ script: String, _ arguments: [String], timeoutSeconds: Double = 120) async throws -> Outcome {
        guard FileManager.default.isExecutableFile(atPath: PythonReceiver.python) else { throw PythonReceiver.PythonMissing() }
        return try await ChildProcess.run(
            PythonReceiver.python, [RepositoryPaths.root + "/Tests/python/" + script] + arguments,
            timeoutSeconds: timeoutSeconds)
    }
}

/// Runs a program to completion with posix_spawn, collecting stdout and stderr together, off the cooperative
/// threads (Foundation's `Process.waitUntilExit` spins on them here).
enum ChildProcess {
    static func run(
        _ program: String, _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil,
        timeoutSeconds: Double = 120
    ) async throws -> PythonScript.Outcome {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result {
                    try runBlocking(program, arguments, environment: environment, directory: directory,
                                    timeoutSeconds: timeoutSeconds)
                })
            }
        }
    }

    private static func runBlocking(
        _ program: String, _ arguments: [String], environment: [String: String]?, directory: String?,
        timeoutSeconds: Double
    ) throws -> PythonScript.Outcome {
        let pipe = try Spawn.pipe()
        let child = try Spawn.start(
            program, arguments, environment: environment ?? ProcessInfo.processInfo.environment, directory: directory
        ) {
            posix_spawn_file_actions_adddup2(&$0, pipe[1], 1)
            posix_spawn_file_actions_adddup2(&$0, pipe[1], 2)
            posix_spawn_file_actions_addclose(&$0, pipe[0])
        }
        let watchdog = DispatchWorkItem { kill(child, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeoutSeconds, execute: watchdog)
        defer { watchdog.cancel() }
        close(pipe[1])
        defer { close(pipe[0]) }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(pipe[0], &buffer, buffer.count)
            if count <= 0 { break }
            output.append(contentsOf: buffer[0..<count])
        }
        return PythonScript.Outcome(status: Spawn.wait(child), output: String(decoding: output, as: UTF8.self))
    }
}
