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
    ///
    /// The output goes to a file, not a pipe: a pipe read to its end waits for every holder of its write end, and a
    /// program another test starts at the same moment (an S3 server that lives for the whole run) can inherit that
    /// end, so the read would never end although this program has.
    private static func run(_ program: String, _ arguments: [String], environment: [String: String]) async throws -> (Int32, String) {
        let directory = try TemporaryDirectory()
        let outputPath = directory.path + "/output.txt"
        guard FileManager.default.createFile(atPath: outputPath, contents: nil),
              let output = FileHandle(forWritingAtPath: outputPath) else {
            throw TestFailure("cannot write \(outputPath)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = output
        process.standardError = output
        try process.run()
        try output.close()
        return try await offPool {
            let timer = DispatchWorkItem { process.terminate() }
            DispatchQueue.global().asyncAfter(deadline: .now() + 120, execute: timer)
            process.waitUntilExit()
            timer.cancel()
            // Read through `directory`, which keeps the folder until the output is read.
            let text = (try? String(contentsOfFile: directory.path + "/output.txt", encoding: .utf8)) ?? ""
            return (process.terminationStatus, text)
        }
    }
}
