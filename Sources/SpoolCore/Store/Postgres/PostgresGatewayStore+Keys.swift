import PostgresNIO
import SpoolPostgres

/// API keys on PostgreSQL; a creation or revocation is announced on `spool_keys` for the other replicas.
extension PostgresGatewayStore {
    func createKey(team: String, isAdmin: Bool) async throws -> (APIKeyRecord, String) {
        let (id, key, hash) = APIKeySecret.generate()
        let now = Timestamp.now()
        try await transaction { writes in
            try await writes.run(
                """
                INSERT INTO api_keys (id, team, is_admin, secret_sha256, created_at)
                VALUES (\(id), \(team), \(isAdmin), \(hash), \(now.milliseconds))
                """)
            try await writes.run("SELECT pg_notify('spool_keys', \(id))")
        }
        return (APIKeyRecord(id: id, team: team, isAdmin: isAdmin, createdAt: now, revokedAt: nil), key)
    }

    func keys() async throws -> [APIKeyRecord] {
        try await run("SELECT id, team, is_admin, created_at, revoked_at FROM api_keys ORDER BY id").map { row in
            let record = PostgresRecord(row)
            return APIKeyRecord(
                id: try record.string("id"), team: try record.string("team"), isAdmin: try record.bool("is_admin"),
                createdAt: Timestamp(milliseconds: try record.int64("created_at")), revokedAt: try record.time("revoked_at"))
        }
    }

    func revokeKey(_ id: String) async throws -> Bool {
        try await transaction { writes in
            let revoked = try await !writes.run(
                """
                UPDATE api_keys SET revoked_at = \(Timestamp.now().milliseconds)
                WHERE id = \(id) AND revoked_at IS NULL RETURNING id
                """).isEmpty
            if revoked { try await writes.run("SELECT pg_notify('spool_keys', \(id))") }
            return revoked
        }
    }

    func liveKeys() async throws -> [String: LiveKey] {
        var keys: [String: LiveKey] = [:]
        for row in try await run("SELECT id, team, is_admin, secret_sha256 FROM api_keys WHERE revoked_at IS NULL") {
            keys[try PostgresRecord(row).string("id")] = try Self.liveKey(row)
        }
        return keys
    }

    func liveKey(id: String) async throws -> LiveKey? {
        try await run(
            "SELECT team, is_admin, secret_sha256 FROM api_keys WHERE id = \(id) AND revoked_at IS NULL"
        ).first.map(Self.liveKey)
    }

    private static func liveKey(_ row: PostgresRow) throws -> LiveKey {
        let record = PostgresRecord(row)
        return LiveKey(team: try record.string("team"), isAdmin: try record.bool("is_admin"),
                       sha256: try record.string("secret_sha256"))
    }
}
