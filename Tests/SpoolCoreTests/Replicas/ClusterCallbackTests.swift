import SpoolJSON
import SpoolPostgresTesting
import Testing
@testable import SpoolCore

/// fal calls back whichever replica its URL reaches (behind a load balancer, any of them).
@Suite("fal callbacks between replicas",
       .enabled(if: PostgresTestServer.isAvailable, "\(PostgresTestServer.unavailableReason ?? "")"),
       .timeLimit(.minutes(2)))
struct ClusterCallbackTests {
    /// Replicas that all give fal the address on `port` for its callbacks, with polling at its webhook-mode default
    /// of 60 s: a job completes within a test only through a callback.
    static func callingBack(to port: Int) -> (inout SpoolConfiguration) -> Void {
        return {
            $0.publicURL = "http://127.0.0.1:\(port)"
            $0.fal.pollIntervalSeconds = nil
        }
    }

    @Test("a job that one replica submitted and follows completes from fal's callback to another replica, without waiting for a poll")
    func callbackOnOtherReplica() async throws {
        let port = try FreePort.pick()
        // Both replicas give fal the second one's address.
        let callbacks = Self.callingBack(to: port)
        try await withGateway(
            backend: .postgres, configure: callbacks,
            simulate: { $0.webhookKeySeed = FalCallbackTests.emulatorKeySeed; $0.queueSeconds = 0.5; $0.runSeconds = 3 }) { first in
            let key = try await first.key(team: "marketing")
            let id = try #require(try await first.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            let atFal = try await first.waitForJob(id, key: key) { ["in_queue", "in_progress"].contains($0["status"]?.stringValue ?? "") }
            #expect(["in_queue", "in_progress"].contains(atFal["status"]?.stringValue ?? ""))
            try await withGateway(joining: first, configure: {
                callbacks(&$0)
                $0.listen = "127.0.0.1:\(port)"
            }) { second in
                let done = try await second.waitUntilTerminal(id, key: key, seconds: 30)
                #expect(done["status"]?.stringValue == "completed")
                #expect(ReplicaTests.submits(first.simulator) == 1)
            }
        }
    }
}
