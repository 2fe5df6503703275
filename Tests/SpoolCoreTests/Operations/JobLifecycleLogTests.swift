import Foundation
import SpoolFal
import SpoolJSON
import SpoolTestSupport
import Testing
@testable import SpoolCore

/// What an operator reads about a job at info level, in both log formats, from the real binary.
@Suite("A job's life in the log: one info line per transition, each with job_id")
struct JobLifecycleLogTests {
    /// The lines of `log` about job `id`: text lines carrying `job_id=<id>`, or JSON lines whose `job_id` is `id`,
    /// each reduced to its message and metadata.
    static func lines(about id: String, in log: String, format: String) -> [(message: String, fields: [String: String])] {
        log.split(separator: "\n").compactMap { line -> (String, [String: String])? in
            if format == "json" {
                guard let object = (try? JSONValue(parsing: Array(line.utf8)))?.objectValue,
                      object["job_id"]?.stringValue == id, let message = object["msg"]?.stringValue
                else { return nil }
                return (message, object.reduce(into: [:]) { $0[$1.key] = $1.value.stringValue ?? "\($1.value)" })
            }
            guard line.contains(" job_id=\(id)"), let colon = line.range(of: ": ") else { return nil }
            let rest = line[colon.upperBound...]
            let pairs = rest.split(separator: " ").filter { $0.contains("=") }
            let message = rest.split(separator: " ").prefix { !$0.contains("=") }.joined(separator: " ")
            return (message, Dictionary(pairs.map { pair in
                let parts = pair.split(separator: "=", maxSplits: 1)
                return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
            }, uniquingKeysWith: { first, _ in first }))
        }
    }

    @Test("submitted to fal with fal's request id, running, completed, failed with its code, cancelled",
          .enabled(if: SimServe.isBuilt, "needs the built binary (swift build)"),
          .timeLimit(.minutes(3)),
          arguments: ["text", "json"])
    func lifeInTheLog(format: String) async throws {
        let folder = try TemporaryDirectory()
        let client = HTTPClient()
        defer { client.shutdown() }
        let server = try await SimServe(
            in: folder.path, port: try FreePort.pick(), simPort: try FreePort.pick(), arguments: ["--log-format", format],
            client: client)
        var stopped = false
        defer { if !stopped { server.stop() } }
        let input: JSONValue = ["prompt": "A paper boat", "duration": 3]
        let model: JSONValue = "kling-video-o3-pro-text-to-video"

        let completed = try await server.runJob(["model": model, "input": input], client: client)
        #expect(completed["status"] == "completed")
        let failed = try await server.runJob(["model": model, "input": input, "deadline_seconds": 0.2], client: client)
        #expect(failed["status"] == "failed")
        let cancelled = try await server.request(.post, "/v1/jobs", json: ["model": model, "input": input], client: client)
        let cancelledID = try #require(cancelled.json["id"]?.stringValue)
        #expect(try await server.request(.post, "/v1/jobs/\(cancelledID)/cancel", client: client).status == 202)
        stopped = true
        #expect(server.stop() == 0)

        let completedID = try #require(completed["id"]?.stringValue)
        let falRequestID = try #require(completed["fal_request_id"]?.stringValue)
        let lines = Self.lines(about: completedID, in: server.log, format: format)
        let life: Set = ["job accepted", "job submitting to fal", "job submitted to fal", "job running at fal", "job completed"]
        let messages = lines.map(\.message).filter(life.contains)
        #expect(messages.starts(with: ["job accepted", "job submitting to fal", "job submitted to fal"]), "\(messages)")
        #expect(messages.last == "job completed", "\(messages)")
        #expect(messages.dropFirst(3).dropLast().allSatisfy { $0 == "job running at fal" }, "\(messages)")
        let submitted = lines.first { $0.message == "job submitted to fal" }
        #expect(submitted?.fields["fal_request_id"] == falRequestID)
        #expect(lines.allSatisfy { $0.fields["job_id"] == completedID })

        let failedLines = Self.lines(about: try #require(failed["id"]?.stringValue), in: server.log, format: format)
        let failure = failedLines.filter { $0.message == "job failed" }
        #expect(failure.count == 1 && failure.first?.fields["error_code"] == "deadline_exceeded", "\(failedLines)")
        let cancelledLines = Self.lines(about: cancelledID, in: server.log, format: format)
        #expect(cancelledLines.filter { $0.message == "job cancelled" }.count == 1, "\(cancelledLines.map(\.message))")
    }
}
