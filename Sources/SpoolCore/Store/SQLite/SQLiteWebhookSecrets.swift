import SpoolStore

/// Each team's webhook signing secrets on SQLite (the rules are `WebhookSecrets`').
enum SQLiteWebhookSecrets {
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
            .integer(now.milliseconds + WebhookSecrets.overlapMilliseconds), .text(team))
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
