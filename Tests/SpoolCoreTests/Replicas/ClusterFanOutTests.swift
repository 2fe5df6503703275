import SpoolFal
import SpoolJSON
import SpoolPostgres
import SpoolPostgresTesting
import SpoolTestSupport
import Testing
@testable import SpoolCore

/// What one replica changes, the others' watchers and caches see: through PostgreSQL's `NOTIFY`, not polling.
@Suite("Fan-out between replicas on one PostgreSQL database",
       .enabled(if: PostgresTestServer.isAvailable, "\(PostgresTestServer.unavailableReason ?? "")"),
       .timeLimit(.minutes(2)))
struct ClusterFanOutTests {
    /// Runs `body` with a job submitted to `first` and already at fal, followed by `first`, before `second`
    /// starts: only `first` moves it from here on. Both gateways are stopped afterwards.
    static func withJobRunByFirst(
        _ body: (_ first: TestGateway, _ second: TestGateway, _ key: String, _ id: String) async throws -> Void
    ) async throws {
        try await withGateway(backend: .postgres, simulate: { $0.queueSeconds = 0.5; $0.runSeconds = 1.5 }) { first in
            let key = try await first.key(team: "marketing")
            let id = try #require(try await first.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            let atFal = try await first.waitForJob(id, key: key) { ["in_queue", "in_progress"].contains($0["status"]?.stringValue ?? "") }
            #expect(["in_queue", "in_progress"].contains(atFal["status"]?.stringValue ?? ""))
            try await withGateway(joining: first) { second in try await body(first, second, key, id) }
        }
    }

    @Test("an event stream on one replica follows, to its end, a job that another replica runs")
    func streamFollowsRemoteJob() async throws {
        try await Self.withJobRunByFirst { first, second, key, id in
            let response = try await second.client.stream(HTTPClientRequest(
                method: .get, url: second.baseURL + "/v1/jobs/\(id)/events", headers: [("Authorization", "Bearer \(key)")]))
            #expect(response.status == 200)
            let text = try await withThrowingTaskGroup(of: String?.self) { group in
                group.addTask {
                    var text = ""
                    for try await chunk in response.body { text += String(decoding: chunk, as: UTF8.self) }
                    return text
                }
                group.addTask {
                    try await Task.sleep(for: .seconds(30))
                    return nil
                }
                let first = try await group.next() ?? nil
                group.cancelAll()
                return first
            }
            let streamed = text ?? ""
            #expect(text != nil, "the stream on the other replica did not end")
            let statuses = ServerSentEvents.parse(streamed).filter { $0.id != nil }
                .compactMap { try? JSONValue(parsing: $0.data)["status"]?.stringValue }
            #expect(statuses.last == "completed", "\(streamed)")
            let ids = ServerSentEvents.parse(streamed).compactMap(\.id).compactMap { Int($0) }
            #expect(ids == Array(ids.sorted()) && Set(ids).count == ids.count, "each transition once, in order")
        }
    }

    @Test("a job read cached on one replica is read afresh once another replica moves the job")
    func readCacheDroppedOnRemoteChange() async throws {
        try await Self.withJobRunByFirst { first, second, key, id in
            let before = try await second.readUntilCached(id, key: key).json
            #expect(before["status"]?.stringValue != "completed")
            _ = try await first.waitUntilTerminal(id, key: key)
            let seen = try await second.waitUntilTerminal(id, key: key, seconds: 10)
            #expect(seen["status"]?.stringValue == "completed")
        }
    }

    @Test("after its LISTEN connection is cut, a replica reconnects and catches its watchers up from the history")
    func catchUpAfterReconnect() async throws {
        try await withGateway(backend: .postgres, simulate: { $0.queueSeconds = 0.2; $0.runSeconds = 30 }) { first in
            let key = try await first.key(team: "marketing")
            let id = try #require(try await first.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            _ = try await first.waitForJob(id, key: key) { $0["status"]?.stringValue == "in_progress" }
            try await withGateway(joining: first) { second in
                // Nothing more happens to the job for 30 s: whatever a watcher on the second replica gets now comes
                // from the catch-up that follows the reconnect.
                let updates = second.gateway.hub.subscribe(to: id)
                let store = try #require(first.gateway.store as? PostgresGatewayStore)
                try await store.run(
                    """
                    SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                    WHERE datname = current_database() AND application_name = \(PostgresListener.applicationName)
                    """)
                let caughtUp = await withTaskGroup(of: JobEvent?.self) { group in
                    group.addTask {
                        for await update in updates { if case .transition(_, let event) = update { return event } }
                        return nil
                    }
                    group.addTask {
                        try? await Task.sleep(for: .seconds(20))
                        return nil
                    }
                    let first = await group.next() ?? nil
                    group.cancelAll()
                    return first
                }
                #expect(caughtUp?.status == .inProgress)
            }
        }
    }

    @Test("a key revoked through one replica is refused by the other")
    func revocationReachesOtherReplica() async throws {
        try await withGateway(backend: .postgres) { first in
            try await withGateway(joining: first) { second in
                let key = try await first.key(team: "marketing")
                #expect(try await second.request(.get, "/v1/jobs", key: key).status == 200)
                let keyID = try #require(APIKeySecret.keyID(of: key))
                #expect(try await first.gateway.store.revokeKey(keyID))
                let status = try await lastRead(within: .seconds(5), {
                    try await second.request(.get, "/v1/jobs", key: key).status
                }, until: { $0 == 401 })
                #expect(status == 401)
            }
        }
    }
}
