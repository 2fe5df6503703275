import SpoolJSON
import SpoolStore

/// The figures of `GET /v1/queue`, read without scanning jobs: per-team counts kept by triggers, the oldest
/// waiting job from an index, and the last five minutes' endings from an index range. The indexes are named
/// (`INDEXED BY`): without statistics SQLite's planner prefers the status index, which scans every job.
struct QueueSnapshot: Sendable {
    var depth: [JobStatus: Int] = [:]
    var oldestQueuedAgeSeconds: Double?
    var teams: [(team: String, queued: Int, inFlight: Int)] = []
    var lastFiveMinutes: [JobStatus: Int] = [:]

    static func read(at now: Timestamp, on connection: SQLiteConnection) throws -> QueueSnapshot {
        var snapshot = QueueSnapshot()
        var perTeam: [String: (queued: Int, inFlight: Int)] = [:]
        for row in try connection.query("SELECT team, status, count FROM job_counts WHERE count > 0") {
            guard let status = JobStatus(rawValue: try row.string("status")) else { continue }
            let count = try row.int("count")
            snapshot.depth[status, default: 0] += count
            let team = try row.string("team")
            if status == .queued { perTeam[team, default: (0, 0)].queued += count }
            if JobStatus.inFlight.contains(status) { perTeam[team, default: (0, 0)].inFlight += count }
        }
        snapshot.teams = perTeam.filter { $0.value.queued + $0.value.inFlight > 0 }
            .map { ($0.key, $0.value.queued, $0.value.inFlight) }.sorted { $0.team < $1.team }
        if let oldest = try connection.queryScalar(
            "SELECT min(created_at) FROM jobs INDEXED BY jobs_queued_age WHERE status = 'queued'", as: Int64.self)
        {
            snapshot.oldestQueuedAgeSeconds = max(0, Double(now.milliseconds - oldest) / 1000)
        }
        for row in try connection.query(
            """
            SELECT status, count(*) AS n FROM jobs INDEXED BY jobs_finished
            WHERE completed_at IS NOT NULL AND completed_at >= ? GROUP BY status
            """,
            .integer(now.milliseconds - 5 * 60 * 1000))
        {
            if let status = JobStatus(rawValue: try row.string("status")) { snapshot.lastFiveMinutes[status] = try row.int("n") }
        }
        return snapshot
    }

    var inFlight: Int { JobStatus.inFlight.reduce(0) { $0 + (depth[$1] ?? 0) } }

    func json(inflightLimit: Int) -> JSONValue {
        func count(_ status: JobStatus, in map: [JobStatus: Int]) -> JSONValue { .integer(Int64(map[status] ?? 0)) }
        return [
            "depth": [
                "queued": count(.queued, in: depth), "submitting": count(.submitting, in: depth),
                "in_queue": count(.inQueue, in: depth), "in_progress": count(.inProgress, in: depth),
            ],
            "oldest_queued_age_seconds": oldestQueuedAgeSeconds.map { .number(($0 * 1000).rounded() / 1000) } ?? .null,
            "inflight": ["current": .integer(Int64(inFlight)), "limit": .integer(Int64(inflightLimit))],
            "teams": .array(teams.map {
                ["team": .string($0.team), "queued": .integer(Int64($0.queued)), "in_flight": .integer(Int64($0.inFlight))]
            }),
            "last_5m": [
                "completed": count(.completed, in: lastFiveMinutes), "failed": count(.failed, in: lastFiveMinutes),
                "cancelled": count(.cancelled, in: lastFiveMinutes),
            ],
        ]
    }
}
