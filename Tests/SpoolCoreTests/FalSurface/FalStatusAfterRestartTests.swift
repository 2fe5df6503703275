import SpoolFal
import SpoolJSON
import SpoolTestSupport
import Testing
@testable import SpoolCore

@Suite("fal surface: status after a restart")
struct FalStatusAfterRestartTests {
    @Test("after a restart, a status with logs carries the job's history as log lines in fal's shape")
    func historyAsLogs() async throws {
        let directory = try TemporaryDirectory()
        let first = try await FalSurfaceFixture.start(directory: directory)
        let key = try await first.spool.key(team: "marketing")
        let id = try #require(try await first.submit(key: key).json["request_id"]?.stringValue)
        _ = try await first.spool.waitUntilTerminal(id, key: key)
        await first.stop()

        try await withFalSurface(directory: directory) { second in
            let status = try await second.request(.get, "/fal-ai/kling-video/requests/\(id)/status?logs=1", key: key)
            #expect(status.status == 200 && status.json["status"]?.stringValue == "COMPLETED", "\(status.text)")
            let logs = try #require(status.json["logs"]?.arrayValue)
            #expect(logs.allSatisfy { line in
                ["message", "level", "source", "timestamp"].allSatisfy { line[$0]?.stringValue != nil }
            }, "\(logs)")
            #expect(logs.first?["message"]?.stringValue == "queued: accepted", "\(logs)")
            #expect(logs.last?["message"]?.stringValue?.hasPrefix("completed") == true, "\(logs)")
            #expect(logs.allSatisfy { $0["source"] == "spool" })
        }
    }
}
