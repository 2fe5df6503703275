import Foundation

/// A script of `Tests/python/` run with the project's virtualenv (`scripts/python-env.sh` makes it; `make test`
/// runs that first), to check Spool with tools independent of its own code.
enum PythonScript {
    struct Outcome: Sendable {
        var status: Int32
        var output: String
    }

    struct Missing: Error, CustomStringConvertible {
        var description: String {
            "the test virtualenv is missing: run scripts/python-env.sh (make test does)"
        }
    }

    static var python: String { RepositoryPaths.root + "/.venv/bin/python" }

    /// Runs `Tests/python/<name>` with `arguments` to its end, or until `timeoutSeconds` pass (then it is
    /// terminated), and returns its exit status and its output and errors together.
    static func run(_ name: String, _ arguments: [String], timeoutSeconds: Double) async throws -> Outcome {
        guard FileManager.default.isExecutableFile(atPath: python) else { throw Missing() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [RepositoryPaths.root + "/Tests/python/" + name] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: RepositoryPaths.root)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        // Reading to the end and waiting block a thread, so they run on one of Dispatch's, not on the pool of
        // Swift's tasks; a watchdog ends a script that hangs.
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let watchdog = DispatchWorkItem { process.terminate() }
                DispatchQueue.global().asyncAfter(deadline: .now() + timeoutSeconds, execute: watchdog)
                let output = pipe.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                watchdog.cancel()
                continuation.resume(returning: Outcome(
                    status: process.terminationStatus, output: String(decoding: output, as: UTF8.self)))
            }
        }
    }
}
