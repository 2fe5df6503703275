import PostgresNIO
import SpoolPostgres

/// Deliveries and signing secrets on PostgreSQL. A replica takes due deliveries like jobs (`FOR UPDATE SKIP
/// LOCKED`) and leases each by pushing its `next_attempt_at` past the attempt: no other replica sees it due until
/// the attempt is recorded, or until the lease ends because the replica died, when another one retries it.
extension PostgresGatewayStore {
    func deliveries(ofJob jobID: String) async throws -> [WebhookDelivery] {
        try await run(
            """
            SELECT \(unescaped: PostgresJobRows.deliveryColumns) FROM webhook_deliveries
            WHERE job_id = \(jobID) ORDER BY created_at, id
            """).map(PostgresJobRows.delivery)
    }

    func takeDueDeliveries(at now: Timestamp, limit: Int, owner: String, leaseSeconds: Double) async throws
        -> [WebhookDelivery] {
        let leasedUntil = now.adding(seconds: leaseSeconds).milliseconds
        // The answer carries the due time as it was, not the lease: the attempt is made now.
        return try await run(
            """
            WITH due AS (
                SELECT id, next_attempt_at FROM webhook_deliveries
                WHERE state = 'pending' AND next_attempt_at <= \(now.milliseconds)
                ORDER BY next_attempt_at LIMIT \(Int64(limit))
                FOR UPDATE SKIP LOCKED
            )
            UPDATE webhook_deliveries d SET next_attempt_at = \(leasedUntil)
            FROM due WHERE d.id = due.id
            RETURNING d.id, d.job_id, d.team, d.event_type, d.webhook_id, d.url, d.payload, d.state, d.attempts,
                d.last_status_code, d.last_error, due.next_attempt_at, d.created_at, d.updated_at
            """
        ).map(PostgresJobRows.delivery).sorted { ($0.nextAttemptAt?.milliseconds ?? 0) < ($1.nextAttemptAt?.milliseconds ?? 0) }
    }

    func nextDeliveryDue() async throws -> Timestamp? {
        try await run("SELECT min(next_attempt_at) AS t FROM webhook_deliveries WHERE state = 'pending'")
            .first.flatMap { try PostgresRecord($0).time("t") }
    }

    func recordAttempt(_ attempt: WebhookAttemptRecord) async throws {
        try await run(
            """
            UPDATE webhook_deliveries SET state = \(attempt.state.rawValue), attempts = \(Int64(attempt.attempts)),
                last_status_code = \(attempt.statusCode.map(Int64.init)), last_error = \(attempt.error),
                next_attempt_at = \(attempt.nextAttemptAt?.milliseconds), updated_at = \(attempt.at.milliseconds)
            WHERE id = \(attempt.deliveryID)
            """)
    }

    func replay(delivery deliveryID: String, ofJob jobID: String, at now: Timestamp) async throws -> WebhookDelivery? {
        try await run(
            """
            UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = \(now.milliseconds),
                updated_at = \(now.milliseconds)
            WHERE id = \(deliveryID) AND job_id = \(jobID)
            RETURNING \(unescaped: PostgresJobRows.deliveryColumns)
            """).first.map(PostgresJobRows.delivery)
    }

    func signingSecrets(for team: String, at now: Timestamp) async throws -> [String] {
        let secrets = try await Self.signing(for: team, at: now, run: run)
        guard secrets.isEmpty else { return secrets }
        return try await secret(for: team, rotate: false, at: now).signing
    }

    /// One transaction per team at a time (an advisory lock on the team), so two replicas cannot both create a
    /// team's first secret; the change is announced on `spool_secrets`.
    func secret(for team: String, rotate: Bool, at now: Timestamp) async throws -> (secret: String, signing: [String]) {
        try await transaction { writes in
            try await writes.run(
                "SELECT pg_advisory_xact_lock(\(unescaped: String(Self.secretsLockClass)), hashtext(\(team)))")
            var signing = try await Self.signing(for: team, at: now, run: writes.run)
            if rotate || signing.isEmpty {
                if rotate {
                    try await writes.run(
                        """
                        UPDATE webhook_secrets SET expires_at = \(now.milliseconds + WebhookSecrets.overlapMilliseconds)
                        WHERE team = \(team) AND expires_at IS NULL
                        """)
                }
                let secret = WebhookSignature.newSecret()
                try await writes.run(
                    """
                    INSERT INTO webhook_secrets (team, secret, created_at)
                    VALUES (\(team), \(secret), \(now.milliseconds + (rotate ? 1 : 0)))
                    """)
                try await writes.run("SELECT pg_notify('spool_secrets', \(team))")
                signing = try await Self.signing(for: team, at: now, run: writes.run)
            }
            guard let newest = signing.first else { throw StoredDataError("team \(team) has no signing secret") }
            return (newest, signing)
        }
    }

    /// The advisory lock class of a team's secrets.
    private static let secretsLockClass = 0x7370_6C73

    private static func signing(
        for team: String, at now: Timestamp, run: (PostgresQuery) async throws -> [PostgresRow]
    ) async throws -> [String] {
        try await run(
            """
            SELECT secret FROM webhook_secrets
            WHERE team = \(team) AND (expires_at IS NULL OR expires_at > \(now.milliseconds))
            ORDER BY created_at DESC
            """).map { try PostgresRecord($0).string("secret") }
    }
}
