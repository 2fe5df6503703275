import Foundation
import SpoolJSON
import Testing
@testable import SpoolCore

/// Which replica answered: `/readyz` says it, and this process's metrics carry it.
@Suite("Replica identity on /readyz and /metrics")
struct ReplicaIdentityTests {
    @Test("/readyz names the replica, and its process metrics carry a replica label that the database's gauges do not")
    func replicaNamed() async throws {
        try await withGateway(configure: { $0.replicaID = "replica-7" }) { spool in
            let ready = try await spool.request(.get, "/readyz").json
            #expect(ready["replica"]?.stringValue == "replica-7")
            _ = try await spool.request(.get, "/healthz")
            let samples = try await OperationsTests.scrape(spool)
            let requests = samples.filter { $0.name == "spool_http_requests_total" }
            #expect(!requests.isEmpty && requests.allSatisfy { $0.labels["replica"] == "replica-7" })
            let depth = samples.filter { $0.name == "spool_jobs" }
            #expect(!depth.isEmpty && depth.allSatisfy { $0.labels["replica"] == nil })
        }
    }

    @Test("without SPOOL_REPLICA_ID a replica goes by host name and process id")
    func defaultName() {
        let name = ReplicaName.default
        #expect(name.hasSuffix(":\(getpid())"))
        #expect(name.count > ":\(getpid())".count)
    }
}
