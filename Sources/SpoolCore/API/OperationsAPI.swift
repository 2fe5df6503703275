import Logging
import SpoolHTTP
import SpoolJSON

/// Health, readiness (which names the fal it talks to: `fal`, or `emulator` under `spool serve --sim`), queue
/// depth and metrics.
struct OperationsAPI: Sendable {
    let store: any GatewayStore
    let health: HealthState
    let metrics: SpoolMetrics
    let authenticator: Authenticator
    let configuration: SpoolConfiguration
    let fileRecords: any JobFileRecords
    let storage: any FileStorage
    let logger: Logger

    func register(in router: inout Router) {
        let ok = HTTPResponse.json(["status": "ok"])
        router.get("/healthz", .immediate { _ in ok })
        router.get("/readyz", .async { _ in try await readiness() })
        router.get("/v1/queue", .async { try await queue($0) })
        router.get("/metrics", .async { _ in try await scrape() })
    }

    private func readiness() async throws -> HTTPResponse {
        var failing = health.failing.map { (check: $0.check, message: $0.message) }
        do { try await store.checkWritable() } catch {
            failing.append(("database", "the database is not writable: \(error)"))
        }
        let checks = JSONValue.object(JSONObject(failing.map { ($0.check, JSONValue.string($0.message)) }))
        let fal = JSONValue.string(configuration.fal.emulated ? "emulator" : "fal")
        let replica = JSONValue.string(metrics.replica)
        let warnings = JSONValue.object(JSONObject(readinessWarnings.map { ($0.check, JSONValue.string($0.message)) }))
        if failing.isEmpty {
            return .json(["status": "ready", "failing": checks, "warnings": warnings, "fal": fal, "replica": replica])
        }
        return .json(
            ["status": "not_ready", "reason": .string(failing.map(\.message).joined(separator: "; ")), "failing": checks,
             "warnings": warnings, "fal": fal, "replica": replica],
            status: .serviceUnavailable)
    }

    /// What does not stop this process from serving but would break a cluster: on a database several replicas may
    /// share, output files in a folder only this machine sees (one replica alone on PostgreSQL is fine, so this
    /// warns instead of failing readiness).
    private var readinessWarnings: [(check: String, message: String)] {
        guard store.isShared, !storage.isSharedAcrossReplicas else { return [] }
        return [(
            "storage",
            "output files are kept in a local folder that other replicas of this database cannot read: use S3 "
                + "(storage.backend) or a folder every replica mounts, declared with storage.shared"
        )]
    }

    private func queue(_ request: HTTPRequest) async throws -> HTTPResponse {
        let principal = try await authenticator.authenticate(request)
        guard principal.isAdmin else {
            throw HTTPError(.forbidden, code: "forbidden", message: "The queue view needs an admin key.")
        }
        let snapshot = try await store.queueSnapshot(at: .now())
        return .json(snapshot.json(inflightLimit: configuration.dispatch.maxInflight))
    }

    private func scrape() async throws -> HTTPResponse {
        let snapshot = try await store.queueSnapshot(at: .now())
        for status in JobStatus.allCases where !status.isTerminal {
            metrics.setClusterWide("spool_jobs", labels: [("status", status.rawValue)], to: Double(snapshot.depth[status] ?? 0))
        }
        metrics.setClusterWide("spool_inflight", to: Double(snapshot.inFlight))
        metrics.setClusterWide("spool_inflight_limit", to: Double(configuration.dispatch.maxInflight))
        metrics.setClusterWide("spool_oldest_queued_age_seconds", to: snapshot.oldestQueuedAgeSeconds ?? 0)
        metrics.set("spool_ready", to: health.failing.isEmpty ? 1 : 0)
        metrics.setStoredBytes(try await fileRecords.storedBytesByTeam())
        return HTTPResponse(
            status: .ok, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"], body: .bytes(metrics.render()))
    }
}
