import SpoolJSON

/// A job about to be stored, as the submit handler built it.
struct NewJob: Sendable {
    var id: String
    var team: String
    var model: String
    var falEndpoint: String
    var input: JSONValue
    var metadata: JSONValue?
    var priority: Int
    var webhookURL: String?
    var webhookEvents: [String]
    var estimatedCostUSD: Double
    var deadlineAt: Timestamp?
    var createdAt: Timestamp
    var falOptions = FalRequestOptions()
    /// The note of the job's first history entry.
    var note = "accepted"

    /// The job as it is first stored: queued, nothing tried yet, a fresh token for fal's callbacks.
    func queuedJob() -> Job {
        Job(
            id: id, team: team, model: model, falEndpoint: falEndpoint, status: .queued, input: input,
            metadata: metadata, priority: priority, attempts: 0, queuePosition: nil, fal: nil, result: nil, error: nil,
            webhookURL: webhookURL, webhookEvents: webhookEvents, falWebhookToken: Identifier.randomToken(bytes: 24),
            estimatedCostUSD: estimatedCostUSD, deadlineAt: deadlineAt, createdAt: createdAt, updatedAt: createdAt,
            startedAt: nil, completedAt: nil, runAfter: createdAt, cancelRequested: false, falOptions: falOptions)
    }
}

/// An `Idempotency-Key` with the digest of the request that came with it.
struct IdempotencyClaim: Sendable {
    var key: String
    var requestSHA256: String
    /// How long a key holds: 24 h.
    static let lifetimeMilliseconds: Int64 = 24 * 3600 * 1000
}

/// What storing a new job came to.
enum InsertOutcome: Sendable {
    case created(Job, JobEvent)
    /// The same team sent the same key and body before: the original job.
    case replayed(Job)
    /// The same key came with a different body.
    case idempotencyConflict(jobID: String)
    /// The team has `limit` jobs waiting already.
    case quotaExceeded(limit: Int)
    /// The job's estimate would take the team's spend today past its budget.
    case budgetExceeded(budget: Double, spent: Double)
}
