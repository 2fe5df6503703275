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
        let (status, output) = try await SimFixture.with({
            $0.queueSeconds = 2
            $0.runSeconds = 1.5
            $0.expectedKey = "compat-key:secret"
        }) { simulator in
            try await Self.run(python.path, [script.path, simulator.baseURL], environment: ["FAL_KEY": "compat-key:secret"])
        }
        #expect(status == 0, "\(output)")
    }

    /// Runs a program to its end (at most 120 s) and returns its exit status and combined output.
    private static func run(_ program: String, _ arguments: [String], environment: [String: String]) async throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        return try await offPool {
            let reader = output.fileHandleForReading
            let timer = DispatchWorkItem { process.terminate() }
            DispatchQueue.global().asyncAfter(deadline: .now() + 120, execute: timer)
            let text = String(decoding: reader.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            timer.cancel()
            return (process.terminationStatus, text)
        }
    }
}
