import Foundation
import SpoolJSON
import SpoolPostgresTesting
import SpoolSim
import SpoolTestSupport
import Testing
@testable import SpoolCore

/// Two gateways on one PostgreSQL database: the cheapest pair of replicas. What they must share, they share
/// through the database: the in-flight caps, the jobs at fal, the webhook deliveries.
@Suite("Replicas on one PostgreSQL database",
       .enabled(if: PostgresTestServer.isAvailable, "\(PostgresTestServer.unavailableReason ?? "")"),
       .timeLimit(.minutes(2)))
struct ReplicaTests {
    static func submits(_ simulator: FalSimulator) -> Int {
        simulator.requestLog().filter { $0.method == "POST" && !$0.path.hasPrefix("/_sim") }.count
    }

    @Test("two gateways never have more jobs in flight together than the global cap, and each job reaches fal once")
    func globalCapAcrossReplicas() async throws {
        let capped: (inout SpoolConfiguration) -> Void = { $0.dispatch.maxInflight = 2 }
        try await withGateway(backend: .postgres, configure: capped, simulate: { $0.runSeconds = 1.5 }) { first in
            try await withGateway(joining: first, configure: capped) { second in
                let admin = try await first.key(team: "ops", admin: true)
                let key = try await first.key(team: "marketing")
                var ids: [String] = []
                for gateway in [first, second, first, second, first, second] {
                    ids.append(try #require(try await gateway.request(.post, "/v1/jobs", key: key, json: submission())
                        .json["id"]?.stringValue))
                }
                var mostInFlight: Int64 = 0
                let deadline = ContinuousClock.now + .seconds(60)
                while ContinuousClock.now < deadline {
                    for gateway in [first, second] {
                        let queue = try await gateway.request(.get, "/v1/queue", key: admin).json
                        mostInFlight = max(mostInFlight, queue["inflight"]?["current"]?.integerValue ?? 0)
                    }
                    let statuses = try await first.request(.get, "/v1/jobs?limit=10", key: admin).json["data"]?.arrayValue ?? []
                    if statuses.count == ids.count, statuses.allSatisfy({ $0["status"]?.stringValue == "completed" }) { break }
                    try await Task.sleep(for: .milliseconds(20))
                }
                for id in ids { #expect(try await first.waitUntilTerminal(id, key: key)["status"]?.stringValue == "completed") }
                #expect(mostInFlight == 2, "the cap was reached and never passed")
                #expect(Self.submits(first.simulator) == ids.count)
            }
        }
    }

    @Test("a job at fal whose follower died is taken over by the other replica when its lease ends, and followed, not submitted again")
    func followerTakeover() async throws {
        let shortLease: (inout SpoolConfiguration) -> Void = { $0.dispatch.leaseSeconds = 1 }
        let first = try await TestGateway.start(
            backend: .postgres, configure: shortLease, simulate: { $0.queueSeconds = 1; $0.runSeconds = 2 })
        try await withCleanup {
            let key = try await first.key(team: "marketing")
            let id = try #require(try await first.request(.post, "/v1/jobs", key: key, json: submission())
                .json["id"]?.stringValue)
            let atFal = try await first.waitForJob(id, key: key) { ["in_queue", "in_progress"].contains($0["status"]?.stringValue ?? "") }
            #expect(atFal["status"]?.stringValue != "completed")
            await first.gateway.shutdown()
            // A stopping gateway hands its jobs over at once; one that died leaves them leased, as here, to a dead owner.
            let (store, _) = try await DatabaseSetup.open(first.gateway.configuration, logger: quietLogger("store"))
            let handedOver = try await store.takeOverFollowing(
                at: .now(), owner: "proc_dead", until: Timestamp.now().adding(seconds: 1))
            await store.close()
            #expect(handedOver.map(\.id) == [id])

            try await withGateway(joining: first, configure: shortLease) { second in
                let done = try await second.waitUntilTerminal(id, key: key, seconds: 30)
                #expect(done["status"]?.stringValue == "completed")
                #expect(Self.submits(first.simulator) == 1, "followed at fal, never submitted again")
                let notes = (done["history"]?.arrayValue ?? []).compactMap { $0["note"]?.stringValue }
                #expect(!notes.contains { $0.contains("resubmitting") })
            }
        } cleanup: {
            await first.simulator.shutdown()
            first.client.shutdown()
        }
    }

    @Test("a job whose replica is alive but no longer follows it (a lost hand-off) loses its lease and is followed again, not submitted again")
    func lostFollowerOfLiveReplica() async throws {
        try await withGateway(
            backend: .postgres, configure: { $0.dispatch.leaseSeconds = 1 },
            simulate: { $0.queueSeconds = 0; $0.runSeconds = 4 }
        ) { spool in
            let key = try await spool.key(team: "marketing")
            let id = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission())
                .json["id"]?.stringValue)
            try await eventually("the tracker follows the job") { spool.gateway.tracker.isFollowing(id) }
            // The follower is lost while the process lives on and keeps renewing its other leases.
            spool.gateway.tracker.stopFollowing(id)

            try await eventually("the job is followed again once its lease ran out", within: .seconds(15)) {
                spool.gateway.tracker.isFollowing(id)
            }
            let done = try await spool.waitUntilTerminal(id, key: key, seconds: 30)
            #expect(done["status"]?.stringValue == "completed")
            #expect(Self.submits(spool.simulator) == 1, "followed at fal, never submitted again")
        }
    }

    @Test("a job whose replica stops while copying its output is taken over, and the copy goes on there until the job completes")
    func takeoverWhileCopying() async throws {
        let size = 6 * 1024 * 1024
        let cut = 2 * 1024 * 1024
        let shortLease: (inout SpoolConfiguration) -> Void = { $0.dispatch.leaseSeconds = 1 }
        try await withGateway(backend: .postgres, configure: shortLease, simulate: {
            $0.queueSeconds = 0
            $0.runSeconds = 0.3
            $0.outputFileBytes = size
            // The first answer of each download is cut after `cut` bytes and the copy backs off: stop it there.
            $0.fileCutAfterBytes = cut
        }) { first in
            try await withGateway(joining: first, configure: shortLease) { second in
                let key = try await first.key(team: "marketing")
                let id = try #require(try await first.request(.post, "/v1/jobs", key: key, json: submission())
                    .json["id"]?.stringValue)
                // Whichever replica claimed the job saves its result and copies the video: find it mid-copy.
                var copying: TestGateway?
                try await eventually("a replica is copying the output", within: .seconds(30)) {
                    copying = [first, second].first { $0.stagedBytes(of: id) >= cut && $0.gateway.capture.isCopying(id) }
                    return copying != nil
                }
                let stopped = try #require(copying)
                let survivor = stopped === first ? second : first
                await stopped.gateway.shutdown()

                let done = try await survivor.waitUntilTerminal(id, key: key, seconds: 45)
                #expect(done["status"]?.stringValue == "completed", "\(done)")
                #expect(done.firstFile?["stored"] == true, "\(done)")
                #expect(Self.submits(first.simulator) == 1, "followed at fal, never submitted again")
            }
        }
    }

    @Test("each webhook delivery is made once, though both replicas send deliveries")
    func deliveryOnce() async throws {
        let receiver = try PythonReceiver()
        defer { receiver.stop() }
        try await withGateway(backend: .postgres, configure: WebhookDeliveryTests.fastSchedule) { first in
            try await withGateway(joining: first, configure: WebhookDeliveryTests.fastSchedule) { second in
                let key = try await first.key(team: "marketing")
                let secret = try #require(try await first.request(.get, "/v1/webhook-secret", key: key).json["secret"]?.stringValue)
                try await receiver.configure(secrets: [secret])
                var ids: [String] = []
                for gateway in [first, second, first, second] {
                    ids.append(try #require(try await gateway.request(
                        .post, "/v1/jobs", key: key, json: submission(extra: ["webhook_url": .string(receiver.url)])
                    ).json["id"]?.stringValue))
                }
                for id in ids { _ = try await waitForDeliveryState(first, id, key: key, state: "delivered") }
                let got = try await receiver.waitForDeliveries(ids.count)
                #expect(got.count == ids.count)
                #expect(Set(got.compactMap { $0["webhook_id"]?.stringValue }).count == ids.count)
                #expect(got.allSatisfy { $0["verified"] == true })
            }
        }
    }
}
