import Logging

/// Why the job service would not do what a caller asked. The domain says what went wrong and with what; the API
/// edge (`APIErrors`) and the fal surface (`FalSurfaceError`) each turn it into their own answer.
enum JobRefusal: Error, Sendable, Equatable {
    /// The submitted body is not JSON; `reason` is the parser's account.
    case invalidJSON(reason: String)
    /// The body or the model's input has problems, every one of them listed.
    case validationFailed([ValidationProblem])
    /// `model` names no catalog model; `didYouMean` is the catalog's " (did you mean …?)" or empty.
    case unknownModel(String, didYouMean: String)
    /// The Idempotency-Key header is empty or longer than 255 bytes.
    case invalidIdempotencyKey
    /// The Idempotency-Key was used by job `jobID` with a different body.
    case idempotencyConflict(jobID: String)
    /// `team` already has `limit` jobs waiting.
    case quotaExceeded(team: String, limit: Int)
    /// The job would take `team` past its daily budget; the next UTC day starts in `retryAfterSeconds`.
    case budgetExceeded(team: String, budgetUSD: Double, spentUSD: Double, retryAfterSeconds: Int64)
    /// There is no job `jobID`, or the caller may not see it.
    case jobNotFound(jobID: String)
    /// Job `jobID` ended (as `status`) before it could be cancelled.
    case alreadyTerminal(jobID: String, status: JobStatus)
    /// Job `jobID` finished at fal before fal took the cancel; its result is being collected.
    case finishedAtFal(jobID: String)
    /// The database's disk is full; nothing was stored.
    case storageFull
    /// The database could not be reached or failed; nothing was stored.
    case storageUnavailable

    /// A database failure as a refusal: the detail goes to the log, never to the caller.
    static func storage(_ error: any Error, logger: Logger) -> JobRefusal {
        logger.error("database operation failed", metadata: ["error": "\(error)"])
        if let full = error as? any StorageFullError, full.isStorageFull { return .storageFull }
        return .storageUnavailable
    }
}
