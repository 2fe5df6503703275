#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Foundation

/// Runs a program to completion with ``Spawn``, collecting stdout and stderr together, on a thread of its own.
///
/// Tests use this instead of Foundation's `Process`: in a test process that also starts and reaps children with
/// posix_spawn and `waitpid`, `Process` was seen never to notice its child's exit (the child left a zombie, the
/// test hung in `waitUntilExit`).
package enum ChildProcess {
    /// How a program ended.
    package struct Outcome: Sendable {
        /// The exit status, or 128 + the signal that ended it.
        package var status: Int32
        /// Standard output and standard error, interleaved as written.
        package var output: String
    }

    /// Runs `program` with `arguments`, with exactly `environment` (this process's own when nil), in `directory`;
    /// a program still running after `timeoutSeconds` is killed.
    package static func run(
        _ program: String, _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil,
        timeoutSeconds: Double = 120
    ) async throws -> Outcome {
        let environment = environment ?? ProcessInfo.processInfo.environment
        return try await offPool {
            try runBlocking(program, arguments, environment: environment, directory: directory, timeoutSeconds: timeoutSeconds)
        }
    }

    private static func runBlocking(
        _ program: String, _ arguments: [String], environment: [String: String], directory: String?,
        timeoutSeconds: Double
    ) throws -> Outcome {
        let pipe = try Spawn.pipe()
        let child: pid_t
        do {
            child = try Spawn.start(program, arguments, environment: environment, directory: directory) {
                posix_spawn_file_actions_adddup2(&$0, pipe[1], 1)
                posix_spawn_file_actions_adddup2(&$0, pipe[1], 2)
            }
        } catch {
            close(pipe[0])
            close(pipe[1])
            throw error
        }
        close(pipe[1])
        let watchdog = DispatchWorkItem { kill(child, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeoutSeconds, execute: watchdog)
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(pipe[0], &buffer, buffer.count)
            if count > 0 {
                output.append(contentsOf: buffer[0..<count])
            } else if count == 0 || errno != EINTR {
                break
            }
        }
        close(pipe[0])
        let status = Spawn.wait(child)
        watchdog.cancel()
        return Outcome(status: status, output: String(decoding: output, as: UTF8.self))
    }
}
