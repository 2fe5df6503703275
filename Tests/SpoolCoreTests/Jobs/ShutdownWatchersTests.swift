import SpoolJSON
import SpoolTestSupport
import Testing
@testable import SpoolCore

/// A shutdown does not wait for watchers: event streams end after what they sent and `Prefer: wait` callers get
/// the job as it stands, so a deploy is not held up by the grace period while jobs go on at fal.
@Suite("Shutdown with watchers: streams end, waits answer, the grace period is not spent")
struct ShutdownWatchersTests {
    @Test("an open event stream and a Prefer: wait request end at shutdown, long before the grace period")
    func watchersEndAtShutdown() async throws {
        let spool = try await TestGateway.start(
            configure: { $0.http.shutdownGraceSeconds = 120 },
            simulate: { $0.runSeconds = 300 })
        try await withCleanup {
            let key = try await spool.key(team: "marketing")
            let id = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            _ = try await spool.waitForJob(id, key: key) { $0["status"]?.stringValue == "in_progress" }

            let stream = Task { try await spool.request(.get, "/v1/jobs/\(id)/events", key: key).text }
            let waiting = Task {
                try await spool.request(.post, "/v1/jobs", key: key, json: submission(), headers: [("Prefer", "wait=600")])
            }
            // Both requests are open when both watchers are subscribed.
            try await eventually("both watchers are subscribed", within: .seconds(20)) {
                spool.gateway.hub.subscriberCount >= 2
            }

            let stopped = Task { await spool.gateway.shutdown() }
            let outcome = await withTaskGroup(of: Bool.self) { group in
                group.addTask {
                    await stopped.value
                    return true
                }
                group.addTask {
                    try? await Task.sleep(for: .seconds(60))
                    return false
                }
                let first = await group.next() ?? false
                group.cancelAll()
                return first
            }
            #expect(outcome, "shutdown waited for the watchers")
            let events = ServerSentEvents.parse(try await stream.value).filter { $0.event == "status" }
            let last = try JSONValue(parsing: Array((events.last?.data ?? "null").utf8))
            #expect(last["status"]?.stringValue == "in_progress")
            let waited = try await waiting.value
            #expect(waited.status == 202)
            #expect(waited.json["status"]?.stringValue != nil)
            spool.client.shutdown()
        } cleanup: {
            await spool.simulator.shutdown()
        }
    }
}
