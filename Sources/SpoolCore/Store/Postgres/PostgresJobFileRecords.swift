import Logging
import PostgresNIO
import SpoolJSON
import SpoolPostgres

/// `JobFileRecords` on PostgreSQL: the `job_files` and `shared_secrets` tables of `migrations/postgres/0005`, with
/// the same meaning as `SQLiteJobFileRecords`. Job changes go through `PostgresJobWrites`, so they carry their
/// history entry, outbox row and `NOTIFY spool_jobs` like every other change.
struct PostgresJobFileRecords: JobFileRecords {
    let store: PostgresGatewayStore

    static let columns = """
        job_id, name, team, result_path, source_url, content_type, declared_size, state, size, sha256, storage_key,
        reason, created_at, stored_at, expires_at
        """

    func saveResult(
        jobID: String, expecting: JobStatus, output: JSONValue, files: [JobFile], runStart: Timestamp, note: String,
        copier: String, leaseUntil: Timestamp
    ) async throws -> JobTransitions.Change? {
        try await store.transaction { writes in
            let change = try await writes.update(jobID, expecting: expecting, at: .now(), note: note) {
                $0.result = output
                $0.queuePosition = nil
                // As on SQLite: with files to copy the job keeps its running status until they are stored.
                if files.isEmpty { $0.status = .completed }
                if $0.startedAt == nil { $0.startedAt = runStart }
            }
            guard let change else { return nil }
            for file in files { try await Self.insert(file, writes) }
            if !files.isEmpty {
                try await writes.run(
                    "UPDATE jobs SET lease_owner = \(copier), lease_expires_at = \(leaseUntil.milliseconds) WHERE id = \(jobID)")
            }
            return change
        }
    }

    func files(of jobID: String) async throws -> [JobFile] {
        try await store.run(
            "SELECT \(unescaped: Self.columns) FROM job_files WHERE job_id = \(jobID) ORDER BY created_at, name"
        ).map(Self.decode)
    }

    func settle(_ file: JobFile) async throws {
        try await store.run(
            """
            UPDATE job_files SET state = \(file.state.rawValue), size = \(file.size), sha256 = \(file.sha256),
                storage_key = \(file.storageKey), reason = \(file.reason), stored_at = \(file.storedAt?.milliseconds),
                expires_at = \(file.expiresAt?.milliseconds)
            WHERE job_id = \(file.jobID) AND name = \(file.name)
            """)
    }

    func complete(
        jobID: String, note: String, rewrite: @escaping @Sendable (JSONValue, [JobFile]) -> JSONValue?
    ) async throws -> JobTransitions.Change? {
        try await store.transaction { writes in
            // The job's row lock first, so two replicas finishing the last two files complete it once.
            guard try await writes.lockedJob(jobID) != nil else { return nil }
            let files = try await writes.run(
                "SELECT \(unescaped: Self.columns) FROM job_files WHERE job_id = \(jobID) ORDER BY created_at, name"
            ).map(Self.decode)
            guard !files.contains(where: { $0.state == .pending }) else { return nil }
            return try await writes.update(jobID, expecting: nil, at: .now(), note: note) {
                $0.status = .completed
                $0.files = files
                if let result = $0.result, let rewritten = rewrite(result, files) { $0.result = rewritten }
            }
        }
    }

    func expired(at time: Timestamp, limit: Int) async throws -> [JobFile] {
        try await store.run(
            """
            SELECT \(unescaped: Self.columns) FROM job_files
            WHERE state = 'stored' AND expires_at IS NOT NULL AND expires_at <= \(time.milliseconds)
            ORDER BY expires_at LIMIT \(Int64(limit))
            """).map(Self.decode)
    }

    func markExpired(_ file: JobFile, at time: Timestamp) async throws -> Job? {
        try await store.run(
            """
            UPDATE job_files SET state = 'expired', reason = \(JobFile.expiredReason)
            WHERE job_id = \(file.jobID) AND name = \(file.name) AND state = 'stored'
            """)
        return try await store.job(file.jobID)
    }

    func storedBytesByTeam() async throws -> [String: Int64] {
        var bytes: [String: Int64] = [:]
        for row in try await store.run(
            "SELECT team, sum(size)::bigint AS bytes FROM job_files WHERE state = 'stored' GROUP BY team")
        {
            let record = PostgresRecord(row)
            bytes[try record.string("team")] = try record.optionalInt64("bytes") ?? 0
        }
        return bytes
    }

    func sharedSecret(named name: String, candidate: String) async throws -> String {
        try await store.run(
            """
            INSERT INTO shared_secrets (name, secret, created_at) VALUES (\(name), \(candidate), \(Timestamp.now().milliseconds))
            ON CONFLICT (name) DO NOTHING
            """)
        return try await store.run("SELECT secret FROM shared_secrets WHERE name = \(name)")
            .first.map { try PostgresRecord($0).string("secret") } ?? candidate
    }

    // MARK: Job reads

    /// The files of the completed jobs among `jobs`, set on them (one query for a page of a listing).
    static func attachFiles(to jobs: [Job], run: (PostgresQuery) async throws -> [PostgresRow]) async throws -> [Job] {
        let completed = jobs.filter { $0.status == .completed }.map(\.id)
        guard !completed.isEmpty else { return jobs }
        let rows = try await run(
            """
            SELECT \(unescaped: columns) FROM job_files WHERE job_id = ANY(\(completed))
            ORDER BY created_at, name
            """)
        let files = Dictionary(grouping: try rows.map(decode), by: \.jobID)
        return jobs.map { job in
            var job = job
            job.files = files[job.id] ?? []
            return job
        }
    }

    private static func insert(_ file: JobFile, _ writes: PostgresJobWrites) async throws {
        try await writes.run(
            """
            INSERT INTO job_files (\(unescaped: columns)) VALUES (\(file.jobID), \(file.name), \(file.team),
                \(file.resultPath), \(file.sourceURL), \(file.contentType), \(file.declaredSize), \(file.state.rawValue),
                \(file.size), \(file.sha256), \(file.storageKey), \(file.reason), \(file.createdAt.milliseconds),
                \(file.storedAt?.milliseconds), \(file.expiresAt?.milliseconds))
            ON CONFLICT (job_id, name) DO NOTHING
            """)
    }

    static func decode(_ row: PostgresRow) throws -> JobFile {
        let record = PostgresRecord(row)
        let stateText = try record.string("state")
        guard let state = JobFile.State(rawValue: stateText) else {
            throw StoredDataError("job file has unknown state \(stateText)")
        }
        return JobFile(
            jobID: try record.string("job_id"), name: try record.string("name"), team: try record.string("team"),
            resultPath: try record.string("result_path"), sourceURL: try record.string("source_url"),
            contentType: try record.string("content_type"), declaredSize: try record.optionalInt64("declared_size"),
            state: state, size: try record.optionalInt64("size"), sha256: try record.optionalString("sha256"),
            storageKey: try record.optionalString("storage_key"), reason: try record.optionalString("reason"),
            createdAt: Timestamp(milliseconds: try record.int64("created_at")),
            storedAt: try record.time("stored_at"), expiresAt: try record.time("expires_at"))
    }
}
