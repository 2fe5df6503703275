import Glibc
import SpoolJSON
import SpoolPostgres
import SpoolPostgresTesting
import Testing
@testable import SpoolCore

/// A replica hears of other replicas' changes through one `LISTEN` connection; the server process behind it is
/// stopped here (`SIGSTOP`), so the connection stays open and answers nothing, as one to a server that failed over
/// or behind a dropped network path does.
@Suite("Replicas whose LISTEN connection stops answering",
       .enabled(if: PostgresTestServer.isAvailable, "\(PostgresTestServer.unavailableReason ?? "")"),
       .enabled(if: geteuid() == 0, "stopping the server's processes takes root"),
       .timeLimit(.minutes(2)))
struct ClusterListenerOutageTests {
    @Test("a replica that cannot hear of other replicas' changes serves no stale job: it gives the connection up and reads afresh")
    func noStaleReads() async throws {
        try await withGateway(backend: .postgres, simulate: { $0.queueSeconds = 0.2; $0.runSeconds = 8 }) { first in
            let key = try await first.key(team: "marketing")
            let id = try #require(try await first.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            _ = try await first.waitForJob(id, key: key) { $0["status"]?.stringValue == "in_progress" }
            try await withGateway(joining: first) { second in
                _ = try await second.readUntilCached(id, key: key)
                #expect(second.gateway.jobReadCache.contains(id), "the second replica keeps the job's answer")

                let store = try #require(first.gateway.store as? PostgresGatewayStore)
                let listeners = try await store.run(
                    """
                    SELECT pid FROM pg_stat_activity
                    WHERE datname = current_database() AND application_name = \(PostgresListener.applicationName)
                    """
                ).map { try $0.decode(Int32.self) }
                #expect(listeners.count == 2)
                // Longer than the test: the notification of the completion reaches neither replica meanwhile.
                try PostgresTestServer.stall(listeners, seconds: 30)

                let completed = try await first.waitUntilTerminal(id, key: key, seconds: 20)
                #expect(completed["status"]?.stringValue == "completed")
                // Within two connection checks (5 s each) the second replica gives its connection up and stops
                // answering from memory.
                let seen = try await second.waitUntilTerminal(id, key: key, seconds: 15)
                #expect(seen["status"]?.stringValue == "completed")
            }
        }
    }
}
