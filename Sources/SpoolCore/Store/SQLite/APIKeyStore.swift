import SpoolStore

/// The `api_keys` table on SQLite: create, list, revoke, and the live keys.
package enum APIKeyStore {
    /// Creates a key for `team` and returns the record and the key itself (shown once, never stored).
    package static func create(team: String, isAdmin: Bool, on connection: SQLiteConnection) throws -> (APIKeyRecord, String) {
        let (id, key, hash) = APIKeySecret.generate()
        let now = Timestamp.now()
        try connection.run(
            "INSERT INTO api_keys (id, team, is_admin, secret_sha256, created_at) VALUES (?, ?, ?, ?, ?)",
            .text(id), .text(team), .integer(isAdmin ? 1 : 0), .text(hash), .integer(now.milliseconds))
        return (APIKeyRecord(id: id, team: team, isAdmin: isAdmin, createdAt: now, revokedAt: nil), key)
    }

    package static func list(on connection: SQLiteConnection) throws -> [APIKeyRecord] {
        try connection.query("SELECT id, team, is_admin, created_at, revoked_at FROM api_keys ORDER BY id").map { row in
            APIKeyRecord(
                id: try row.string("id"), team: try row.string("team"), isAdmin: try row.bool("is_admin"),
                createdAt: Timestamp(milliseconds: try row.int64("created_at")),
                revokedAt: try row.optionalInt64("revoked_at").map(Timestamp.init(milliseconds:)))
        }
    }

    /// Revokes key `id`; false when there is no such key or it was revoked already.
    package static func revoke(_ id: String, on connection: SQLiteConnection) throws -> Bool {
        try connection.run(
            "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
            .integer(Timestamp.now().milliseconds), .text(id)) > 0
    }


    /// Every live key by id, for the authenticator's cache.
    static func liveKeys(on connection: SQLiteConnection) throws -> [String: LiveKey] {
        var keys: [String: LiveKey] = [:]
        for row in try connection.query(
            "SELECT id, team, is_admin, secret_sha256 FROM api_keys WHERE revoked_at IS NULL")
        {
            keys[try row.string("id")] = try LiveKey(row: row)
        }
        return keys
    }

    /// Key `id` if it exists and is not revoked: one primary-key lookup.
    static func liveKey(id: String, on connection: SQLiteConnection) throws -> LiveKey? {
        try connection.queryRow(
            "SELECT team, is_admin, secret_sha256 FROM api_keys WHERE id = ? AND revoked_at IS NULL", .text(id)
        ).map(LiveKey.init(row:))
    }
}

extension LiveKey {
    init(row: SQLiteRow) throws {
        self.init(team: try row.string("team"), isAdmin: try row.bool("is_admin"), sha256: try row.string("secret_sha256"))
    }
}
