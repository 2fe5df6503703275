import SpoolStore
import SpoolTestSupport
import Testing
@testable import SpoolCore

@Suite("A stopped gateway is released")
struct GatewayReleaseTests {
    /// Weak references to what a gateway made, to see whether anything keeps them after it stopped.
    final class Watched {
        weak var gateway: Gateway?
        weak var tracker: JobTracker?
        weak var dispatcher: JobDispatcher?
        weak var hub: JobEventHub?
        weak var store: AnyObject?

        var alive: [String] {
            [("gateway", gateway != nil), ("tracker", tracker != nil), ("dispatcher", dispatcher != nil),
             ("hub", hub != nil), ("store", store != nil)].filter(\.1).map(\.0)
        }
    }

    @Test("after waits, event streams and followed jobs, nothing keeps a stopped gateway or its workers alive")
    func released() async throws {
        let watched = Watched()
        do {
            let spool = try await TestGateway.start()
            watched.gateway = spool.gateway
            watched.tracker = spool.gateway.tracker
            watched.dispatcher = spool.gateway.dispatcher
            watched.hub = spool.gateway.hub
            watched.store = spool.gateway.store as AnyObject
            let key = try await spool.key(team: "marketing")
            // A sync wait (the waiter's subscription), an event stream read to its end (the feed's), and a job
            // still followed at fal when the gateway stops (the tracker's poll).
            let waited = try await spool.request(.post, "/v1/jobs", key: key, json: submission(), headers: [("Prefer", "wait=30")])
            #expect(waited.status == 200)
            let streamed = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            _ = try await spool.request(.get, "/v1/jobs/\(streamed)/events", key: key)
            let followed = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            _ = try await spool.waitForJob(followed, key: key) { ["in_queue", "in_progress"].contains($0["status"]?.stringValue ?? "") }
            await spool.stop()
        }
        // Tasks that were cancelled at the stop may still be winding down: wait for them, with a deadline.
        do {
            try await eventually("every stopped gateway is released", within: .seconds(20)) { watched.alive.isEmpty }
        } catch let timedOut as ConditionNotMet {
            throw TestFailure("\(timedOut); still alive: \(watched.alive)")
        }
    }
}
