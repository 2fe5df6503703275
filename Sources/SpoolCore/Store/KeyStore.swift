/// The API keys: create, list, revoke (`spool keys`), and the live ones the authenticator checks.
package protocol KeyStore: Sendable {
    /// Creates a key for `team` and returns the record and the key itself (shown once, never stored).
    func createKey(team: String, isAdmin: Bool) async throws -> (APIKeyRecord, String)
    /// Every key, live or revoked, by id.
    func keys() async throws -> [APIKeyRecord]
    /// Revokes key `id`; false when there is no such key or it was revoked already.
    func revokeKey(_ id: String) async throws -> Bool
    /// Every live key by id, for the authenticator's cache.
    func liveKeys() async throws -> [String: LiveKey]
    /// Key `id` if it exists and is not revoked.
    func liveKey(id: String) async throws -> LiveKey?
}

/// What the authenticator keeps of a live key: its team, admin flag and hash.
package struct LiveKey: Sendable, Equatable {
    var team: String
    var isAdmin: Bool
    var sha256: String
}
