import SpoolJSON
import SpoolStore

/// Reads of jobs: one by id, a team's page of them, and what the queue view counts.
enum JobQueries {
    static func job(_ id: String, on connection: SQLiteConnection) throws -> Job? {
        guard var job = try connection.queryRow("SELECT \(JobRows.columns) FROM jobs WHERE id = ?", .text(id)).map(JobRows.decode)
        else { return nil }
        if job.status == .completed { job.files = try SQLiteJobFileRecords.files(of: id, on: connection) }
        return job
    }

    /// Newest first, one more than `limit` so the caller knows whether a next page exists.
    static func list(_ filter: JobListFilter, on connection: SQLiteConnection) throws -> [Job] {
        var conditions: [String] = []
        var bindings: [SQLiteValue] = []
        if let team = filter.team {
            conditions.append("team = ?")
            bindings.append(.text(team))
        }
        if let status = filter.status {
            conditions.append("status = ?")
            bindings.append(.text(status.rawValue))
        }
        if let model = filter.model {
            conditions.append("model = ?")
            bindings.append(.text(model))
        }
        if let before = filter.beforeID {
            conditions.append("seq < coalesce((SELECT seq FROM jobs WHERE id = ?), -1)")
            bindings.append(.text(before))
        }
        let clause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        bindings.append(.integer(Int64(filter.limit + 1)))
        var jobs = try connection.query(
            "SELECT \(JobRows.columns) FROM jobs \(clause) ORDER BY seq DESC LIMIT ?", bindings: bindings
        ).map(JobRows.decode)
        let files = try SQLiteJobFileRecords.files(ofJobs: jobs.filter { $0.status == .completed }.map(\.id), on: connection)
        for index in jobs.indices { jobs[index].files = files[jobs[index].id] ?? [] }
        return jobs
    }

    /// Jobs that are at fal or being handed to it, to follow after a restart.
    static func active(on connection: SQLiteConnection) throws -> [Job] {
        try connection.query(
            "SELECT \(JobRows.columns) FROM jobs WHERE status IN ('submitting', 'in_queue', 'in_progress')"
        ).map(JobRows.decode)
    }

    /// Unfinished jobs whose deadline passed before `now`, at most `limit`.
    static func overdue(at now: Timestamp, limit: Int, on connection: SQLiteConnection) throws -> [Job] {
        try connection.query(
            """
            SELECT \(JobRows.columns) FROM jobs WHERE deadline_at < ?
              AND status NOT IN ('completed', 'failed', 'cancelled') LIMIT ?
            """, .integer(now.milliseconds), .integer(Int64(limit))
        ).map(JobRows.decode)
    }
}
