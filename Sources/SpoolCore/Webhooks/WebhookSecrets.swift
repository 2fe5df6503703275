import SpoolStore

/// Each team's webhook signing secrets. A team gets one on first use; a rotation adds a new one and keeps the old
/// one signing beside it for `overlap` (24 h), so that receivers can switch without losing a message.
public enum WebhookSecrets {
    public static let overlapMilliseconds: Int64 = 24 * 3600 * 1000

    /// The newest secret of `team`, created if it has none. Runs in the caller's write transaction.
    static func current(for team: String, at now: Timestamp, on connection: SQLiteConnection) throws -> String {
        if let secret = try newest(for: team, at: now, on: connection) { return secret }
        let secret = WebhookSignature.newSecret()
        try connection.run(
            "INSERT INTO webhook_secrets (team, secret, created_at) VALUES (?, ?, ?)",
            .text(team), .text(secret), .integer(now.milliseconds))
        return secret
    }

    /// Replaces `team`'s secret with a new one; the previous ones keep signing for 24 h.
    static func rotate(for team: String, at now: Timestamp, on connection: SQLiteConnection) throws -> String {
        try connection.run(
            "UPDATE webhook_secrets SET expires_at = ? WHERE team = ? AND expires_at IS NULL",
            .integer(now.milliseconds + overlapMilliseconds), .text(team))
        let secret = WebhookSignature.newSecret()
        try connection.run(
            "INSERT INTO webhook_secrets (team, secret, created_at) VALUES (?, ?, ?)",
            .text(team), .text(secret), .integer(now.milliseconds + 1))
        return secret
    }

    /// Every secret that signs for `team` now, newest first.
    static func signing(for team: String, at now: Timestamp, on connection: SQLiteConnection) throws -> [String] {
        try connection.query(
            """
            SELECT secret FROM webhook_secrets WHERE team = ? AND (expires_at IS NULL OR expires_at > ?)
            ORDER BY created_at DESC
            """, .text(team), .integer(now.milliseconds)
        ).map { try $0.string("secret") }
    }

    private static func newest(for team: String, at now: Timestamp, on connection: SQLiteConnection) throws -> String? {
        try signing(for: team, at: now, on: connection).first
    }
}
