import SpoolFal
import SpoolStore

/// The store on one SQLite file: writes go through the single writer (group-committed where many small ones come
/// at once: submits, transitions, lease renewals, attempts), reads go to the reader pool, off the writer.
final class SQLiteGatewayStore: GatewayStore {
    let database: SQLiteDatabase

    init(database: SQLiteDatabase) {
        self.database = database
    }

    var location: String { database.path }

    var isShared: Bool { false }

    func close() async {}

    // MARK: Jobs

    func insert(_ new: NewJob, idempotency: IdempotencyClaim?, limits: SpoolConfiguration.TeamLimits) async throws
        -> InsertOutcome {
        try await database.batchedWrite { connection in
            try JobInsert.insert(new, idempotency: idempotency, limits: limits, on: connection)
        }
    }

    func job(_ id: String) async throws -> Job? {
        try await database.read { try JobQueries.job(id, on: $0) }
    }

    func jobWithHistory(_ id: String) async throws -> (Job, [JobEvent])? {
        try await database.read { connection in
            guard let job = try JobQueries.job(id, on: connection) else { return nil }
            return (job, try JobHistory.events(of: id, on: connection))
        }
    }

    func jobs(_ filter: JobListFilter) async throws -> [Job] {
        try await database.read { try JobQueries.list(filter, on: $0) }
    }

    func activeJobs() async throws -> [Job] {
        try await database.read { try JobQueries.active(on: $0) }
    }

    func overdueJobs(at now: Timestamp, limit: Int) async throws -> [Job] {
        try await database.read { try JobQueries.overdue(at: now, limit: limit, on: $0) }
    }

    func update(
        _ id: String, expecting: JobStatus?, claimedBy owner: String?, at time: Timestamp, note: String?,
        _ mutate: @escaping @Sendable (inout Job) -> Void
    ) async throws -> JobTransitions.Change? {
        try await database.batchedWrite { connection -> JobTransitions.Change? in
            if let owner, try !JobClaims.isHeld(id, by: owner, on: connection) { return nil }
            return try SQLiteJobTransitions.update(id, expecting: expecting, at: time, note: note, on: connection, mutate)
        }
    }

    func billing(of id: String) async throws -> JobBilling? {
        try await database.read { try JobBillingRecords.billing(of: id, on: $0) }
    }

    func recordBilling(
        _ report: FalReport, jobID id: String, usdPerUnit: @escaping @Sendable (String) -> Double?
    ) async throws -> BillingRecorded? {
        try await database.batchedWrite { connection in
            try JobBillingRecords.record(report, jobID: id, usdPerUnit: usdPerUnit, on: connection)
        }
    }

    // MARK: Claims

    func mightClaim(maxInflight: Int) async throws -> Bool {
        try await database.read { try JobClaims.mightClaim(maxInflight: maxInflight, on: $0) }
    }

    func claim(
        limit: Int, at now: Timestamp, owner: String, leaseSeconds: Double, rules: ClaimRules, turns: [String: Int64]
    ) async throws -> (changes: [JobTransitions.Change], turns: [String: Int64]) {
        // Group-committed: a claim shares its transaction and fsync with the submits and the recorded fal answers
        // waiting at the same moment, and returns only once committed, so a job is `submitting` before it is sent.
        try await database.batchedWrite { connection in
            var policy = JobClaims.Policy(
                maxInflight: rules.maxInflight, teamLimit: rules.teamLimit, lastClaimed: turns)
            var changes: [JobTransitions.Change] = []
            var turn = (policy.lastClaimed.values.max() ?? 0) + 1
            while changes.count < limit, let change = try JobClaims.claimNext(
                at: now, owner: owner, leaseSeconds: leaseSeconds, policy: policy, on: connection)
            {
                policy.lastClaimed[change.job.team] = turn
                turn += 1
                changes.append(change)
            }
            return (changes, policy.lastClaimed)
        }
    }

    func nextReadyTime() async throws -> Timestamp? {
        try await database.read { try JobClaims.nextReadyTime(on: $0) }
    }

    func lapsedClaims(at now: Timestamp, exceptOwner: String?) async throws -> [JobClaim] {
        try await database.read { try JobClaims.lapsedClaims(at: now, exceptOwner: exceptOwner, on: $0) }
    }

    func requeue(_ claim: JobClaim, at time: Timestamp, note: String) async throws -> JobTransitions.Change? {
        try await database.batchedWrite { connection -> JobTransitions.Change? in
            guard try JobClaims.stillHolds(claim, on: connection) else { return nil }
            return try SQLiteJobTransitions.update(
                claim.jobID, expecting: .submitting, at: time, note: note, on: connection) { $0.status = .queued }
        }
    }

    func renewLease(_ id: String, owner: String, until: Timestamp) async throws -> Bool {
        try await database.batchedWrite { try JobClaims.renewLease(id, owner: owner, until: until, on: $0) }
    }

    /// One process owns the file: every job at fal is its to follow, with no lease to keep.
    func takeOverFollowing(at now: Timestamp, owner: String, until: Timestamp) async throws -> [Job] {
        try await activeJobs().filter { $0.status.isAtFal && $0.fal != nil }
    }

    func renewFollowing(_ jobIDs: [String], owner: String, until: Timestamp) async throws {}

    func releaseFollowing(owner: String) async throws {}

    // MARK: Webhooks

    func deliveries(ofJob jobID: String) async throws -> [WebhookDelivery] {
        try await database.read { try WebhookDelivery.forJob(jobID, on: $0) }
    }

    /// One process owns the file, and the deliverer keeps its attempts in flight in memory: a read is enough.
    func takeDueDeliveries(at now: Timestamp, limit: Int, owner: String, leaseSeconds: Double) async throws
        -> [WebhookDelivery] {
        try await database.read { try WebhookDelivery.due(at: now, limit: limit, on: $0) }
    }

    func nextDeliveryDue() async throws -> Timestamp? {
        try await database.read { try WebhookDelivery.nextDue(on: $0) }
    }

    func recordAttempt(_ attempt: WebhookAttemptRecord) async throws {
        try await database.batchedWrite { try WebhookDelivery.record(attempt, on: $0) }
    }

    func replay(delivery deliveryID: String, ofJob jobID: String, at now: Timestamp) async throws -> WebhookDelivery? {
        try await database.write { try WebhookDelivery.replay(deliveryID, ofJob: jobID, at: now, on: $0) }
    }

    /// Read first: a team's secret exists after its first use, and a write would cost an fsync.
    func signingSecrets(for team: String, at now: Timestamp) async throws -> [String] {
        let secrets = try await database.read { try SQLiteWebhookSecrets.signing(for: team, at: now, on: $0) }
        guard secrets.isEmpty else { return secrets }
        return try await secret(for: team, rotate: false, at: now).signing
    }

    func secret(for team: String, rotate: Bool, at now: Timestamp) async throws -> (secret: String, signing: [String]) {
        try await database.write { connection in
            let secret = rotate
                ? try SQLiteWebhookSecrets.rotate(for: team, at: now, on: connection)
                : try SQLiteWebhookSecrets.current(for: team, at: now, on: connection)
            return (secret, try SQLiteWebhookSecrets.signing(for: team, at: now, on: connection))
        }
    }

    // MARK: Keys

    func createKey(team: String, isAdmin: Bool) async throws -> (APIKeyRecord, String) {
        try await database.write { try APIKeyStore.create(team: team, isAdmin: isAdmin, on: $0) }
    }

    func keys() async throws -> [APIKeyRecord] {
        try await database.read { try APIKeyStore.list(on: $0) }
    }

    func revokeKey(_ id: String) async throws -> Bool {
        try await database.write { try APIKeyStore.revoke(id, on: $0) }
    }

    func liveKeys() async throws -> [String: LiveKey] {
        try await database.read { try APIKeyStore.liveKeys(on: $0) }
    }

    func liveKey(id: String) async throws -> LiveKey? {
        try await database.read { try APIKeyStore.liveKey(id: id, on: $0) }
    }

    // MARK: Operations

    func queueSnapshot(at now: Timestamp) async throws -> QueueSnapshot {
        try await database.read { try QueueSnapshot.read(at: now, on: $0) }
    }

    func usage(from: String, to: String, team: String?) async throws -> [UsageFigures] {
        try await database.read { try UsageFigures.read(from: from, to: to, team: team, on: $0) }
    }

    func checkWritable() async throws {
        try await database.checkWritable()
    }
}
