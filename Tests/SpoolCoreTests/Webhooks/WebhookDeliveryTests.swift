import SpoolJSON
import SpoolTestSupport
import Testing
@testable import SpoolCore

@Suite("Downstream webhooks, checked by an independent Standard Webhooks implementation")
struct WebhookDeliveryTests {
    static func fastSchedule(_ configuration: inout SpoolConfiguration) {
        configuration.webhooks.retrySchedule = [0, 0.2, 0.2, 0.2, 0.2]
        configuration.webhooks.allowPrivate = true
    }

    @Test("a finished job's webhook arrives signed; the receiver verifies it; the delivery is recorded")
    func signedDelivery() async throws {
        let receiver = try PythonReceiver()
        defer { receiver.stop() }
        try await withGateway(configure: Self.fastSchedule) { spool in
            let key = try await spool.key(team: "marketing")
            let secret = try #require(try await spool.request(.get, "/v1/webhook-secret", key: key).json["secret"]?.stringValue)
            #expect(secret.hasPrefix("whsec_"))
            try await receiver.configure(secrets: [secret])
            let id = try #require(try await spool.request(
                .post, "/v1/jobs", key: key, json: submission(extra: ["webhook_url": .string(receiver.url)])).json["id"]?.stringValue)
            let got = try await receiver.waitForDeliveries(1)
            #expect(got.count == 1)
            #expect(got.first?["verified"] == true)
            #expect(got.first?["body"]?["type"]?.stringValue == "job.completed")
            #expect(got.first?["body"]?["data"]?["id"]?.stringValue == id)
            #expect(got.first?["body"]?["data"]?["result"]?["video"]?["url"]?.stringValue != nil)
            let deliveries = try await waitForDeliveryState(spool, id, key: key, state: "delivered")
            #expect(deliveries.first?["attempts"]?.integerValue == 1)
            #expect(deliveries.first?["last_status_code"]?.integerValue == 204)
            #expect(deliveries.first?["webhook_id"]?.stringValue == got.first?["webhook_id"]?.stringValue)
        }
    }

    @Test("500s and timeouts are retried with the same webhook-id until the receiver takes it")
    func retries() async throws {
        let receiver = try PythonReceiver()
        defer { receiver.stop() }
        try await withGateway(configure: {
            Self.fastSchedule(&$0)
            $0.webhooks.timeoutSeconds = 0.5
        }) { spool in
            let key = try await spool.key(team: "marketing")
            try await receiver.configure(script: [["status": 500], ["status": 200, "delay": 1.5], ["status": 200]])
            let id = try #require(try await spool.request(
                .post, "/v1/jobs", key: key, json: submission(extra: ["webhook_url": .string(receiver.url)])).json["id"]?.stringValue)
            let deliveries = try await waitForDeliveryState(spool, id, key: key, state: "delivered")
            #expect(deliveries.first?["attempts"]?.integerValue == 3)
            let got = try await receiver.received()
            #expect(got.count == 3)
            #expect(Set(got.compactMap { $0["webhook_id"]?.stringValue }).count == 1)
        }
    }

    @Test("410 stops retrying; Retry-After delays the next attempt")
    func goneAndRetryAfter() async throws {
        let receiver = try PythonReceiver()
        defer { receiver.stop() }
        try await withGateway(configure: Self.fastSchedule) { spool in
            let key = try await spool.key(team: "marketing")
            try await receiver.configure(script: [["status": 410]])
            let gone = try #require(try await spool.request(
                .post, "/v1/jobs", key: key, json: submission(extra: ["webhook_url": .string(receiver.url)])).json["id"]?.stringValue)
            let failed = try await waitForDeliveryState(spool, gone, key: key, state: "failed")
            #expect(failed.first?["attempts"]?.integerValue == 1)

            try await receiver.configure(script: [["status": 503, "retry_after": "1"]])
            let later = try #require(try await spool.request(
                .post, "/v1/jobs", key: key, json: submission(extra: ["webhook_url": .string(receiver.url)])).json["id"]?.stringValue)
            _ = try await waitForDeliveryState(spool, later, key: key, state: "delivered")
            let times = try await receiver.received().filter { $0["body"]?["data"]?["id"]?.stringValue == later }
                .compactMap { $0["at"]?.doubleValue }
            #expect(times.count == 2)
            if times.count == 2 { #expect(times[1] - times[0] >= 0.9) }
        }
    }

    @Test("job.status asks for every transition; after a rotation both secrets sign")
    func everyTransitionAndRotation() async throws {
        let receiver = try PythonReceiver()
        defer { receiver.stop() }
        try await withGateway(configure: Self.fastSchedule) { spool in
            let key = try await spool.key(team: "marketing")
            let old = try #require(try await spool.request(.get, "/v1/webhook-secret", key: key).json["secret"]?.stringValue)
            let new = try #require(try await spool.request(.post, "/v1/webhook-secret/rotate", key: key).json["secret"]?.stringValue)
            #expect(old != new)
            try await receiver.configure(secrets: [old, new])
            _ = try await spool.request(.post, "/v1/jobs", key: key, json: submission(extra: [
                "webhook_url": .string(receiver.url), "webhook_events": ["job.status"]]))
            // queued, submitting, in_queue, in_progress (unless the run was over before a poll saw it), completed.
            let got = try await lastRead(within: .seconds(30), receiver.received, until: {
                $0.contains { $0["body"]?["type"]?.stringValue == "job.completed" }
            })
            let types = got.compactMap { $0["body"]?["type"]?.stringValue }
            #expect(types.count == 5 || types.count == 4)
            #expect(types.last == "job.completed")
            #expect(types.dropLast().allSatisfy { $0 == "job.status" })
            for delivery in got {
                #expect(delivery["verified_with"]?.arrayValue?.count == 2)
                #expect(delivery["signature"]?.stringValue?.split(separator: " ").count == 2)
            }
        }
    }

    @Test("a receiver that is down across a restart still gets its delivery afterwards")
    func survivesRestart() async throws {
        let directory = try TemporaryDirectory()
        // "Down" is the receiver answering 503 to every attempt, so its port stays ours throughout (a stopped
        // receiver's port could be taken by another test before it starts again).
        let receiver = try PythonReceiver()
        defer { receiver.stop() }
        try await receiver.configure(script: Array(repeating: ["status": 503], count: 1000))
        let first = try await TestGateway.start(directory: directory, configure: {
            Self.fastSchedule(&$0)
            $0.webhooks.retrySchedule = [0, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 60]
        })
        let key = try await first.key(team: "marketing")
        let id = try #require(try await first.request(
            .post, "/v1/jobs", key: key, json: submission(extra: ["webhook_url": .string(receiver.url)])).json["id"]?.stringValue)
        _ = try await first.waitUntilTerminal(id, key: key)
        _ = try await receiver.waitForDeliveries(1)
        let pending = try await first.request(.get, "/v1/jobs/\(id)/deliveries", key: key).json["data"]?.arrayValue ?? []
        #expect(pending.first?["state"]?.stringValue == "pending")
        await first.stop()

        try await receiver.configure(script: [])
        let refused = try await receiver.received().count
        try await withGateway(directory: directory, configure: Self.fastSchedule) { second in
            let got = try await receiver.waitForDeliveries(refused + 1, seconds: 30)
            #expect(got.last?["body"]?["data"]?["id"]?.stringValue == id)
            _ = try await waitForDeliveryState(second, id, key: key, state: "delivered")
        }
    }

    @Test("a delivery can be sent again on demand")
    func manualRetry() async throws {
        let receiver = try PythonReceiver()
        defer { receiver.stop() }
        try await withGateway(configure: Self.fastSchedule) { spool in
            let key = try await spool.key(team: "marketing")
            let id = try #require(try await spool.request(
                .post, "/v1/jobs", key: key, json: submission(extra: ["webhook_url": .string(receiver.url)])).json["id"]?.stringValue)
            let delivered = try await waitForDeliveryState(spool, id, key: key, state: "delivered")
            let deliveryID = try #require(delivered.first?["id"]?.stringValue)
            let retry = try await spool.request(.post, "/v1/jobs/\(id)/deliveries/\(deliveryID)/retry", key: key)
            #expect(retry.status == 202)
            let got = try await receiver.waitForDeliveries(2)
            #expect(got.count == 2)
            #expect(got[0]["webhook_id"] == got[1]["webhook_id"])
            #expect(try await spool.request(.post, "/v1/jobs/\(id)/deliveries/dlv_nope/retry", key: key).status == 404)
        }
    }
}

/// Polls a job's deliveries until the first is in `state`.
func waitForDeliveryState(_ spool: TestGateway, _ id: String, key: String, state: String) async throws -> [JSONValue] {
    try await lastRead(within: .seconds(20), {
        try await spool.request(.get, "/v1/jobs/\(id)/deliveries", key: key).json["data"]?.arrayValue ?? []
    }, until: { $0.first?["state"]?.stringValue == state })
}
