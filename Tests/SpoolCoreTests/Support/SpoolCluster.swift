import Foundation
import Logging
import SpoolFal
import SpoolJSON
import SpoolSim
import SpoolTestSupport
import Synchronization
import Testing
@testable import SpoolCore

/// Three real `spool serve` processes on one fresh PostgreSQL database of the test run's server, against one
/// in-process fal emulator: what `make cluster` starts, on ephemeral ports. Replicas can be killed (`kill -9`),
/// stopped (SIGTERM) and started again on their port.
final class SpoolCluster: Sendable {
    static let binary = RepositoryPaths.root + "/.build/debug/spool"

    let simulator: FalSimulator
    let directory: TemporaryDirectory
    let environment: [String: String]
    /// Each replica's port: 0 until its first start, where it binds a free one and says which; it keeps that port
    /// across restarts.
    private let ports: Mutex<[Int]>
    let client = HTTPClient(configuration: HTTPClientConfiguration(connectTimeout: .seconds(2), totalTimeout: .seconds(30)))
    /// The running process of each replica (nil while stopped); a load task and the test may touch it at once.
    private let replicas: Mutex<[BackgroundProcess?]>

    /// Starts the emulator, migrates the database once and starts `count` replicas, each ready when this returns.
    /// `leaseSeconds` is how long a dead replica's jobs stay its own (fal calls time out after half of it).
    init(count: Int = 3, leaseSeconds: Double = 3, simulate: (inout SimulatorConfiguration) -> Void = { _ in }) async throws {
        var configuration = SimulatorConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.queueSeconds = 0.2
        configuration.runSeconds = 0.5
        configuration.concurrency = 64
        simulate(&configuration)
        simulator = FalSimulator(configuration: configuration, logger: quietLogger("sim"))
        try simulator.start()
        directory = try TemporaryDirectory()
        let settings = directory.path + "/spool.json"
        try writeFile(settings, #"{"dispatch": {"lease_seconds": \#(leaseSeconds), "retry_base_seconds": 0.05, "retry_max_seconds": 0.2}, "fal": {"request_timeout_seconds": \#(leaseSeconds / 2)}}"#)
        environment = [
            "SPOOL_DATABASE_URL": try await StoreBackend.newPostgresDatabase(), "SPOOL_CONFIG": settings,
            "SPOOL_FAL_QUEUE_URL": simulator.baseURL, "FAL_KEY": "test-fal-key", "SPOOL_FAL_POLL_INTERVAL": "0.2",
            "SPOOL_MIGRATIONS_DIR": RepositoryPaths.root + "/migrations", "SPOOL_LOG_LEVEL": "info",
        ]
        let migrated = try await ChildProcess.run(Self.binary, ["migrate"], environment: environment)
        guard migrated.status == 0 else { throw ClusterFailed(message: "migrate: \(migrated.output)") }
        ports = Mutex(Array(repeating: 0, count: count))
        replicas = Mutex(Array(repeating: nil, count: count))
        for index in 0..<count { try await start(index) }
    }

    func url(_ index: Int) -> String { "http://127.0.0.1:\(ports.withLock { $0[index] })" }

    /// Starts replica `index` on its port (a free one the first time) and waits until it answers.
    func start(_ index: Int) async throws {
        let port = ports.withLock { $0[index] }
        var environment = self.environment
        environment["SPOOL_LISTEN"] = "127.0.0.1:\(port)"
        environment["SPOOL_REPLICA_ID"] = "replica-\(index + 1)"
        let process = try BackgroundProcess(
            Self.binary, ["serve"], environment: environment, logPath: directory.path + "/replica-\(index + 1).log")
        replicas.withLock { $0[index] = process }
        do {
            if port == 0 {
                let bound = try await process.servingPort(within: .seconds(60))
                ports.withLock { $0[index] = bound }
            }
            try await eventually("replica \(index + 1) is ready", within: .seconds(60)) {
                (try? await client.execute(HTTPClientRequest(url: url(index) + "/readyz")))?.status == 200
            }
        } catch is ConditionNotMet {
            throw ClusterFailed(message: "replica \(index + 1) did not start: \(process.log)")
        }
    }

    /// SIGTERM to replica `index`; waits for it to end.
    func stop(_ index: Int) {
        let replica = replicas.withLock { replicas in
            defer { replicas[index] = nil }
            return replicas[index]
        }
        replica?.stop()
    }

    /// `kill -9` of replica `index`: no shutdown, no hand-over.
    func kill9(_ index: Int) {
        let replica = replicas.withLock { replicas in
            defer { replicas[index] = nil }
            return replicas[index]
        }
        guard let replica else { return }
        kill(replica.pid, SIGKILL)
        _ = Spawn.wait(replica.pid)
    }

    /// Stops every replica and the emulator.
    func shutdown() async {
        for index in 0..<ports.withLock({ $0.count }) { stop(index) }
        await simulator.shutdown()
        client.shutdown()
    }

    /// A key made with `spool keys create`.
    func key(team: String, admin: Bool = false) async throws -> String {
        let created = try await ChildProcess.run(
            Self.binary, ["keys", "create", "--team", team] + (admin ? ["--admin"] : []), environment: environment)
        guard created.status == 0, let key = created.output.split(separator: "\n").last else {
            throw ClusterFailed(message: "keys create: \(created.output)")
        }
        return String(key)
    }

    /// Submits job number `number` (its prompt names it, so the emulator's log tells its submits apart) to
    /// replica `index`; the status and the job id when accepted.
    func submit(_ number: Int, to index: Int, key: String) async throws -> (status: Int, id: String?) {
        var input = exampleInput.objectValue ?? [:]
        input["prompt"] = .string("@Element1 walks through @Image1, take \(number)")
        let answer = try await client.execute(HTTPClientRequest(
            method: .post, url: url(index) + "/v1/jobs",
            headers: [("Authorization", "Bearer \(key)"), ("Content-Type", "application/json")],
            body: submission(.object(input)).serialized()))
        return (answer.status, (try? JSONValue(parsing: answer.body))?["id"]?.stringValue)
    }

    /// Job `id` read from replica `index`.
    func job(_ id: String, from index: Int, key: String) async throws -> JSONValue {
        try JSONValue(parsing: try await client.execute(HTTPClientRequest(
            url: url(index) + "/v1/jobs/\(id)", headers: [("Authorization", "Bearer \(key)")])).body)
    }

    /// Waits until every job of `ids` is terminal (read from replica `index`), at most `seconds`; their statuses.
    func waitUntilTerminal(_ ids: [String], from index: Int, key: String, seconds: Double = 60) async throws -> [String: String] {
        let terminal = ["completed", "failed", "cancelled"]
        var statuses: [String: String] = [:]
        do {
            try await eventually("every job ends", within: .seconds(seconds)) {
                for id in ids where !terminal.contains(statuses[id] ?? "") {
                    statuses[id] = try await job(id, from: index, key: key)["status"]?.stringValue
                }
                return statuses.count == ids.count && statuses.values.allSatisfy(terminal.contains)
            }
        } catch is ConditionNotMet {}
        return statuses
    }

    /// For a failure message: each job of `ids` not `completed`, as replica `index` answers it and as its row
    /// stands in the database (status, lease, next poll), then the end of every replica's log.
    func diagnosis(of ids: [String], statuses: [String: String], from index: Int, key: String) async -> String {
        var lines: [String] = []
        for id in ids where statuses[id] != "completed" {
            let answer = (try? await job(id, from: index, key: key)).map { String(decoding: $0.serialized(), as: UTF8.self) }
            lines.append("\(id): \(answer ?? "unreadable")")
            let row = try? await ChildProcess.run("/usr/bin/psql", [
                environment["SPOOL_DATABASE_URL"] ?? "", "-At", "-c",
                "SELECT status, lease_owner, lease_expires_at, result IS NOT NULL, "
                    + "(SELECT string_agg(name || ':' || state, ',') FROM job_files WHERE job_id = jobs.id), "
                    + "(extract(epoch from now()) * 1000)::bigint FROM jobs WHERE id = '\(id)'",
            ])
            lines.append("  row (status|lease_owner|lease_expires_at|result saved|files|now): "
                + (row?.output.trimmingCharacters(in: .whitespacesAndNewlines) ?? "unreadable"))
            for replica in 1...ports.withLock({ $0.count }) {
                let log = (try? String(contentsOfFile: directory.path + "/replica-\(replica).log", encoding: .utf8)) ?? ""
                lines += log.split(separator: "\n").filter { $0.contains(id) || $0.contains("proc_") }.suffix(30)
                    .map { "  replica-\(replica): " + $0 }
            }
        }
        for replica in 1...ports.withLock({ $0.count }) {
            let log = (try? String(contentsOfFile: directory.path + "/replica-\(replica).log", encoding: .utf8)) ?? ""
            lines.append("replica-\(replica).log, last lines:")
            lines += log.split(separator: "\n").suffix(15).map { "  " + $0 }
        }
        return lines.joined(separator: "\n")
    }

    /// How many times the emulator received a submit for each job number.
    func submitsByNumber() -> [Int: Int] {
        var counts: [Int: Int] = [:]
        for request in simulator.requestLog() where request.method == "POST" && !request.path.hasPrefix("/_sim") {
            guard let range = request.body.range(of: "take "),
                let number = Int(request.body[range.upperBound...].prefix { $0.isNumber }) else { continue }
            counts[number, default: 0] += 1
        }
        return counts
    }

    struct ClusterFailed: Error, CustomStringConvertible { var message: String; var description: String { message } }
}

/// Starts a `SpoolCluster`, runs `body` with it, and shuts it down before returning, also when `body` throws.
@discardableResult
func withCluster<T>(
    count: Int = 3, leaseSeconds: Double = 3, simulate: (inout SimulatorConfiguration) -> Void = { _ in },
    _ body: (SpoolCluster) async throws -> T
) async throws -> T {
    let cluster = try await SpoolCluster(count: count, leaseSeconds: leaseSeconds, simulate: simulate)
    return try await withCleanup { try await body(cluster) } cleanup: { await cluster.shutdown() }
}
