import Foundation
import SpoolTestSupport

/// Runs a script of Tests/python in the project's virtualenv and returns its exit status and output.
enum PythonScript {
    /// Runs `Tests/python/<script>`; a script still running after `timeoutSeconds`
    /// is killed.
    static func run(_ script: String, _ arguments: [String], timeoutSeconds: Double = 120) async throws -> ChildProcess.Outcome {
        guard FileManager.default.isExecutableFile(atPath: PythonReceiver.python) else { throw PythonReceiver.PythonMissing() }
        return try await ChildProcess.run(
            PythonReceiver.python, [RepositoryPaths.root + "/Tests/python/" + script] + arguments,
            timeoutSeconds: timeoutSeconds)
    }
}
