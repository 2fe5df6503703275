import SpoolJSON

/// The figures of `GET /v1/queue`, read without scanning jobs (`OperationsStore.queueSnapshot`): per-team counts
/// kept by triggers, the oldest waiting job from an index, and the last five minutes' endings from an index range.
struct QueueSnapshot: Sendable {
    var depth: [JobStatus: Int] = [:]
    var oldestQueuedAgeSeconds: Double?
    var teams: [(team: String, queued: Int, inFlight: Int)] = []
    var lastFiveMinutes: [JobStatus: Int] = [:]

    init() {}

    /// The snapshot of stored figures: the `job_counts` rows, the creation time of the oldest queued job, and the
    /// count per terminal status of the jobs that ended in the last five minutes.
    init(counts: [(team: String, status: String, count: Int)], oldestQueuedAt: Int64?,
         lastFiveMinutes endings: [(status: String, count: Int)], at now: Timestamp) {
        var perTeam: [String: (queued: Int, inFlight: Int)] = [:]
        for row in counts where row.count > 0 {
            guard let status = JobStatus(rawValue: row.status) else { continue }
            depth[status, default: 0] += row.count
            if status == .queued { perTeam[row.team, default: (0, 0)].queued += row.count }
            if JobStatus.inFlight.contains(status) { perTeam[row.team, default: (0, 0)].inFlight += row.count }
        }
        teams = perTeam.filter { $0.value.queued + $0.value.inFlight > 0 }
            .map { ($0.key, $0.value.queued, $0.value.inFlight) }.sorted { $0.team < $1.team }
        oldestQueuedAgeSeconds = oldestQueuedAt.map { max(0, Double(now.milliseconds - $0) / 1000) }
        for ending in endings {
            if let status = JobStatus(rawValue: ending.status) { lastFiveMinutes[status] = ending.count }
        }
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
