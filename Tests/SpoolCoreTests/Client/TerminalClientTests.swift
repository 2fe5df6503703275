import Foundation
import SpoolFal
import SpoolJSON
import SpoolTestSupport
import Testing
@testable import SpoolCore

/// `spool jobs …`, the real binary, against a real gateway and the emulator.
@Suite("The terminal client (`spool jobs`) against a real server")
struct TerminalClientTests {
    static let binary = RepositoryPaths.root + "/.build/debug/spool"

    /// Runs `spool jobs ARGUMENTS` with SPOOL_URL and SPOOL_KEY set for `spool`.
    static func jobs(_ arguments: [String], spool: TestGateway, key: String) async throws -> ChildProcess.Outcome {
        try await ChildProcess.run(
            binary, ["jobs"] + arguments,
            environment: ["SPOOL_URL": spool.baseURL, "SPOOL_KEY": key, "PATH": "/usr/bin:/bin"], timeoutSeconds: 90)
    }

    @Test("submit --wait follows the job to completed, get and list show it, download saves the emulator's video byte for byte",
          .enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs the built binary (swift build)"),
          .timeLimit(.minutes(2)))
    func submitWaitDownload() async throws {
        try await withGateway { spool in
            let key = try await spool.key(team: "studio")

            let submitted = try await Self.jobs(
                ["submit", "kling-video-o3-pro-text-to-video", "-i", "prompt=a paper boat on a rainy street", "-i", "duration=3",
                 "--wait"], spool: spool, key: key)
            #expect(submitted.status == 0, "\(submitted.output)")
            let lines = submitted.output.split(separator: "\n").map(String.init)
            let id = try #require(lines.first?.split(separator: " ").last.map(String.init), "\(submitted.output)")
            #expect(id.hasPrefix("job_"))
            #expect(lines.contains { $0.hasPrefix("completed · ") }, "a plain status line per change: \(submitted.output)")
            #expect(lines.contains("\(id)  completed  kling-video-o3-pro-text-to-video"), "\(submitted.output)")

            let got = try await Self.jobs(["get", id, "--json"], spool: spool, key: key)
            let job = try JSONValue(parsing: got.output)
            #expect(job["status"] == "completed")
            #expect(job["input"]?["duration"] == .integer(3), "-i duration=3 is sent as a number")
            let listed = try await Self.jobs(["list", "--json"], spool: spool, key: key)
            #expect(try JSONValue(parsing: listed.output)["data"]?.arrayValue?.first?["id"]?.stringValue == id)

            let events = try await Self.jobs(["events", id, "--json"], spool: spool, key: key)
            #expect(events.status == 0, "\(events.output)")
            let replayed = try events.output.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
            let statuses = replayed.filter { $0["event"] == "status" }.compactMap { $0["data"]?["status"]?.stringValue }
            #expect(statuses.last == "completed", "the stream replays the job to its end: \(events.output)")
            #expect(replayed.allSatisfy { $0["data"]?["id"]?.stringValue == id || $0["event"] != "status" })

            let directory = try TemporaryDirectory()
            let target = directory.path + "/video.mp4"
            let downloaded = try await Self.jobs(["download", id, "-o", target], spool: spool, key: key)
            #expect(downloaded.status == 0, "\(downloaded.output)")
            let url = try #require(job["result"]?["video"]?["url"]?.stringValue)
            let original = try await spool.client.execute(HTTPClientRequest(url: url))
            #expect(original.status == 200 && !original.body.isEmpty)
            #expect(try Array(#require(FileManager.default.contents(atPath: target))) == original.body)
        }
    }

    @Test("a refused submit prints the server's message and every field's problem, and exits non-zero; -i values are typed",
          .enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs the built binary (swift build)"))
    func validationErrors() async throws {
        try await withGateway { spool in
            let key = try await spool.key(team: "studio")
            let directory = try TemporaryDirectory()
            try writeFile(directory.path + "/input.json", #"{"prompt": "from the file", "duration": "5"}"#)
            let refused = try await Self.jobs(
                ["submit", "kling-video-o3-pro-text-to-video", "--file", directory.path + "/input.json",
                 "-i", "prompt=", "-i", "duration=99", "-i", "bogus=[1, 2]"], spool: spool, key: key)
            #expect(refused.status != 0)
            #expect(refused.output.contains("validation_failed, HTTP 422"), "\(refused.output)")
            #expect(refused.output.contains("  input.prompt: "), "\(refused.output)")
            #expect(refused.output.contains("  input.duration: "), "\(refused.output)")
            #expect(refused.output.contains("  input.bogus: "), "\(refused.output)")

            let accepted = try await Self.jobs(
                ["submit", "kling-video-o3-pro-text-to-video", "--json", "--file", directory.path + "/input.json",
                 "-i", "duration=5", "-i", "generate_audio=true", "-i", "shot_type=customize"], spool: spool, key: key)
            #expect(accepted.status == 0, "\(accepted.output)")
            let job = try JSONValue(parsing: accepted.output)
            #expect(job["input"]?["prompt"] == "from the file")
            #expect(job["input"]?["duration"] == .integer(5), "-i laid over --file, typed as a number")
            #expect(job["input"]?["generate_audio"] == true, "typed as a boolean")
        }
    }

    @Test("a wrong key prints the server's message and exits non-zero; no key at all is refused before any request",
          .enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs the built binary (swift build)"))
    func wrongKey() async throws {
        try await withGateway { spool in
            let wrong = try await Self.jobs(["list"], spool: spool, key: "spool_not_a_real_key")
            #expect(wrong.status != 0)
            #expect(wrong.output.contains("unauthorized, HTTP 401"), "\(wrong.output)")
            let none = try await Self.jobs(["list"], spool: spool, key: "")
            #expect(none.status != 0)
            #expect(none.output.contains("no API key: pass --key or set SPOOL_KEY"), "\(none.output)")
        }
    }

    @Test("cancel stops a job that is still running and prints it cancelled; wait on it then exits non-zero",
          .enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs the built binary (swift build)"),
          .timeLimit(.minutes(2)))
    func cancelAndWait() async throws {
        try await withGateway(simulate: { $0.runSeconds = 60 }) { spool in
            let key = try await spool.key(team: "studio")
            let submitted = try await Self.jobs(
                ["submit", "kling-video-o3-pro-text-to-video", "-i", "prompt=a long one", "--json"], spool: spool, key: key)
            let id = try #require(try JSONValue(parsing: submitted.output)["id"]?.stringValue, "\(submitted.output)")
            let cancelled = try await Self.jobs(["cancel", id], spool: spool, key: key)
            #expect(cancelled.status == 0, "\(cancelled.output)")
            let final = try await spool.waitForJob(id, key: key, seconds: 60) { $0["status"] == "cancelled" }
            #expect(final["status"] == "cancelled")
            let waited = try await Self.jobs(["wait", id], spool: spool, key: key)
            #expect(waited.status != 0)
            #expect(waited.output.contains("the job ended cancelled"), "\(waited.output)")
        }
    }
}
