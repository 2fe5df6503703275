import Foundation
import SpoolTestSupport
import Testing
@testable import SpoolSim

@Suite("fal's official Python client against the emulator")
struct FalClientCompatibilityTests {
    /// The repository root, from this file's path (Tests/SpoolSimTests/…).
    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("fal-client submits, subscribes with logs, fetches results and status, and cancels without noticing")
    func pythonClient() async throws {
        let python = Self.root.appendingPathComponent(".venv/bin/python")
        let script = Self.root.appendingPathComponent("Tests/python/fal_client_compat.py")
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            Issue.record("\(python.path) is missing: run scripts/python-env.sh")
            return
        }
        let outcome = try await SimFixture.with({
            $0.queueSeconds = 2
            $0.runSeconds = 1.5
            $0.expectedKey = "compat-key:secret"
        }) { simulator in
            try await ChildProcess.run(
                python.path, [script.path, simulator.baseURL],
                environment: ProcessInfo.processInfo.environment.merging(["FAL_KEY": "compat-key:secret"]) { $1 })
        }
        #expect(outcome.status == 0, "\(outcome.output)")
    }
}
