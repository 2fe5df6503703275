import SpoolJSON
import SpoolStore

/// `JobFileRecords` on SQLite: the `job_files` and `shared_secrets` tables (migration 0005).
struct SQLiteJobFileRecords: JobFileRecords {
    let database: SQLiteDatabase

    static let columns = """
        job_id, name, team, result_path, source_url, content_type, declared_size, state, size, sha256, storage_key,
        reason, created_at, stored_at, expires_at
        """

    /// One process owns the file and follows its jobs without leases: `copier` and `leaseUntil` are not stored.
    func saveResult(
        jobID: String, expecting: JobStatus, output: JSONValue, files: [JobFile], runStart: Timestamp, note: String,
        copier: String, leaseUntil: Timestamp
    ) async throws -> JobTransitions.Change? {
        try await database.batchedWrite { connection in
            let change = try SQLiteJobTransitions.update(jobID, expecting: expecting, at: .now(), note: note, on: connection) {
                $0.result = output
                $0.queuePosition = nil
                // With files to copy the job keeps its status (`in_progress`, or `in_queue` for a run never seen
                // running: the history does not claim what was not seen) until they are stored.
                if files.isEmpty { $0.status = .completed }
                if $0.startedAt == nil { $0.startedAt = runStart }
            }
            guard change != nil else { return nil }
            for file in files { try Self.insert(file, on: connection) }
            return change
        }
    }

    func files(of jobID: String) async throws -> [JobFile] {
        try await database.read { try Self.files(of: jobID, on: $0) }
    }

    func settle(_ file: JobFile) async throws {
        try await database.batchedWrite { connection in
            try connection.run(
                """
                UPDATE job_files SET state = ?, size = ?, sha256 = ?, storage_key = ?, reason = ?, stored_at = ?,
                    expires_at = ?
                WHERE job_id = ? AND name = ?
                """,
                .text(file.state.rawValue), .nullableInt64(file.size), .nullableText(file.sha256),
                .nullableText(file.storageKey), .nullableText(file.reason), .time(file.storedAt), .time(file.expiresAt),
                .text(file.jobID), .text(file.name))
        }
    }

    func complete(
        jobID: String, note: String, rewrite: @escaping @Sendable (JSONValue, [JobFile]) -> JSONValue?
    ) async throws -> JobTransitions.Change? {
        try await database.batchedWrite { connection in
            let files = try Self.files(of: jobID, on: connection)
            guard !files.contains(where: { $0.state == .pending }) else { return nil }
            return try SQLiteJobTransitions.update(jobID, at: .now(), note: note, on: connection) {
                $0.status = .completed
                $0.files = files
                if let result = $0.result, let rewritten = rewrite(result, files) { $0.result = rewritten }
            }
        }
    }

    func expired(at time: Timestamp, limit: Int) async throws -> [JobFile] {
        try await database.read { connection in
            try connection.query(
                """
                SELECT \(Self.columns) FROM job_files
                WHERE state = 'stored' AND expires_at IS NOT NULL AND expires_at <= ? ORDER BY expires_at LIMIT ?
                """,
                .integer(time.milliseconds), .integer(Int64(limit))
            ).map(Self.decode)
        }
    }

    func markExpired(_ file: JobFile, at time: Timestamp) async throws -> Job? {
        try await database.batchedWrite { connection in
            try connection.run(
                "UPDATE job_files SET state = 'expired', reason = ? WHERE job_id = ? AND name = ? AND state = 'stored'",
                .text(JobFile.expiredReason), .text(file.jobID), .text(file.name))
            return try JobQueries.job(file.jobID, on: connection)
        }
    }

    func storedBytesByTeam() async throws -> [String: Int64] {
        try await database.read { connection in
            var bytes: [String: Int64] = [:]
            for row in try connection.query(
                "SELECT team, sum(size) AS bytes FROM job_files WHERE state = 'stored' GROUP BY team")
            {
                bytes[try row.string("team")] = try row.optionalInt64("bytes") ?? 0
            }
            return bytes
        }
    }

    func sharedSecret(named name: String, candidate: String) async throws -> String {
        try await database.write { connection in
            try connection.run(
                "INSERT INTO shared_secrets (name, secret, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING",
                .text(name), .text(candidate), .integer(Timestamp.now().milliseconds))
            return try connection.queryScalar("SELECT secret FROM shared_secrets WHERE name = ?", .text(name), as: String.self)
                ?? candidate
        }
    }

    // MARK: Inside a caller's transaction (job reads)

    static func files(of jobID: String, on connection: SQLiteConnection) throws -> [JobFile] {
        try connection.query(
            "SELECT \(columns) FROM job_files WHERE job_id = ? ORDER BY created_at, rowid", .text(jobID)
        ).map(decode)
    }

    /// The files of several jobs at once (a page of a listing), by job id.
    static func files(ofJobs jobIDs: [String], on connection: SQLiteConnection) throws -> [String: [JobFile]] {
        guard !jobIDs.isEmpty else { return [:] }
        let marks = Array(repeating: "?", count: jobIDs.count).joined(separator: ", ")
        let rows = try connection.query(
            "SELECT \(columns) FROM job_files WHERE job_id IN (\(marks)) ORDER BY created_at, rowid",
            bindings: jobIDs.map { .text($0) })
        return Dictionary(grouping: try rows.map(decode), by: \.jobID)
    }

    private static func insert(_ file: JobFile, on connection: SQLiteConnection) throws {
        try connection.run(
            """
            INSERT INTO job_files (\(columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (job_id, name) DO NOTHING
            """,
            .text(file.jobID), .text(file.name), .text(file.team), .text(file.resultPath), .text(file.sourceURL),
            .text(file.contentType), .nullableInt64(file.declaredSize), .text(file.state.rawValue),
            .nullableInt64(file.size), .nullableText(file.sha256), .nullableText(file.storageKey),
            .nullableText(file.reason), .integer(file.createdAt.milliseconds), .time(file.storedAt), .time(file.expiresAt))
    }

    static func decode(_ row: SQLiteRow) throws -> JobFile {
        let stateText = try row.string("state")
        guard let state = JobFile.State(rawValue: stateText) else {
            throw StoredDataError("job file has unknown state \(stateText)")
        }
        return JobFile(
            jobID: try row.string("job_id"), name: try row.string("name"), team: try row.string("team"),
            resultPath: try row.string("result_path"), sourceURL: try row.string("source_url"),
            contentType: try row.string("content_type"), declaredSize: try row.optionalInt64("declared_size"),
            state: state, size: try row.optionalInt64("size"), sha256: try row.optionalString("sha256"),
            storageKey: try row.optionalString("storage_key"), reason: try row.optionalString("reason"),
            createdAt: Timestamp(milliseconds: try row.int64("created_at")),
            storedAt: try row.optionalInt64("stored_at").map(Timestamp.init(milliseconds:)),
            expiresAt: try row.optionalInt64("expires_at").map(Timestamp.init(milliseconds:)))
    }
}

extension SQLiteValue {
    /// A 64-bit integer, or NULL for nil.
    static func nullableInt64(_ value: Int64?) -> SQLiteValue { value.map { .integer($0) } ?? .null }
}
