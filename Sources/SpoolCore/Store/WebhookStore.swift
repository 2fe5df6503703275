/// The webhook outbox's deliveries and the teams' signing secrets.
///
/// Deliveries are written by `JobStore` in the transaction of the transition that causes them; this is how the
/// deliverer takes them, records attempts, and how a client reads and replays them.
protocol WebhookStore: Sendable {
    /// A job's deliveries, oldest first.
    func deliveries(ofJob jobID: String) async throws -> [WebhookDelivery]

    /// Takes up to `limit` pending deliveries due by `now`, oldest first, for one attempt each by `owner`. Where
    /// several processes share the store a taken delivery is leased to `owner` for `leaseSeconds` (others pass it
    /// over until the attempt is recorded or the lease ends), so each attempt is made once.
    func takeDueDeliveries(at now: Timestamp, limit: Int, owner: String, leaseSeconds: Double) async throws
        -> [WebhookDelivery]

    /// When the next pending delivery falls due, for the deliverer's timer.
    func nextDeliveryDue() async throws -> Timestamp?

    /// Records one attempt's outcome: the new state, attempt count, answer and next attempt.
    func recordAttempt(_ attempt: WebhookAttemptRecord) async throws

    /// Makes delivery `deliveryID` of job `jobID` pending and due at `now`; nil when the job has no such delivery.
    func replay(delivery deliveryID: String, ofJob jobID: String, at now: Timestamp) async throws -> WebhookDelivery?

    /// Every secret that signs for `team` at `now`, newest first.
    func signingSecrets(for team: String, at now: Timestamp) async throws -> [String]

    /// `team`'s newest secret (created when it has none, or new when `rotate`; a rotated-out secret keeps signing
    /// for `WebhookSecrets.overlapMilliseconds`), with every secret that signs for it now.
    func secret(for team: String, rotate: Bool, at now: Timestamp) async throws -> (secret: String, signing: [String])
}

/// The outcome of one delivery attempt, as stored.
struct WebhookAttemptRecord: Sendable {
    var deliveryID: String
    var state: WebhookDelivery.State
    var attempts: Int
    var statusCode: Int?
    var error: String?
    var nextAttemptAt: Timestamp?
    var at: Timestamp
}
