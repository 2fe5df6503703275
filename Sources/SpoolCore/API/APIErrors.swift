import SpoolHTTP

/// The contract's errors: the ones more than one handler raises, and the one mapping from the domain's refusals
/// (`JobRefusal`, `AuthRefusal`) to the contract's status, code and message. Handlers let the domain's refusals
/// pass; the connection answers them through `httpError`.
enum APIErrors {
    static func validationFailed(_ details: [HTTPError.Detail]) -> HTTPError {
        HTTPError(
            .unprocessableEntity, code: "validation_failed",
            message: details.count == 1
                ? "The request has a problem: \(details[0].field) \(details[0].message)."
                : "The request has \(details.count) problems; see details.",
            details: details)
    }

    static func jobNotFound(_ id: String) -> HTTPError {
        .notFound("There is no job \(id).")
    }
}

extension JobRefusal: HTTPErrorConvertible {
    /// The refusal in the contract's shape.
    var httpError: HTTPError {
        switch self {
        case .invalidJSON(let reason):
            HTTPError(.badRequest, code: "invalid_json", message: "The body is not valid JSON: \(reason).")
        case .validationFailed(let problems):
            APIErrors.validationFailed(problems.map { HTTPError.Detail(field: $0.field, message: $0.message) })
        case .unknownModel(let name, let didYouMean):
            HTTPError(
                .unprocessableEntity, code: "unknown_model",
                message: "There is no model \(name)\(didYouMean); GET /v1/models lists them.",
                details: [.init(field: "model", message: "is not a known model id\(didYouMean)")])
        case .invalidIdempotencyKey:
            HTTPError(.badRequest, code: "invalid_idempotency_key", message: "Idempotency-Key must be 1 to 255 characters.")
        case .idempotencyConflict(let jobID):
            HTTPError(
                .conflict, code: "idempotency_conflict",
                message: "This Idempotency-Key was used with a different body for job \(jobID).")
        case .quotaExceeded(let team, let limit):
            HTTPError(
                .tooManyRequests, code: "quota_exceeded",
                message: "Team \(team) already has \(limit) jobs waiting, its limit.", headers: ["Retry-After": "30"])
        case .budgetExceeded(let team, let budget, let spent, let retryAfterSeconds):
            HTTPError(
                .tooManyRequests, code: "budget_exceeded",
                message: "This job would take team \(team) past its daily budget of \(budget) USD "
                    + "(\((spent * 100).rounded() / 100) USD spent today).",
                headers: ["Retry-After": String(retryAfterSeconds)])
        case .jobNotFound(let jobID):
            APIErrors.jobNotFound(jobID)
        case .alreadyTerminal(let jobID, let status):
            HTTPError(.conflict, code: "already_terminal", message: "Job \(jobID) is already \(status.rawValue).")
        case .finishedAtFal(let jobID):
            HTTPError(
                .conflict, code: "already_terminal",
                message: "Job \(jobID) finished at fal before it could be cancelled; its result is being collected.")
        case .storageFull:
            HTTPError(
                .serviceUnavailable, code: "storage_full",
                message: "The gateway's disk is full; nothing was stored. Try again later.", headers: ["Retry-After": "60"])
        case .storageUnavailable:
            HTTPError(
                .serviceUnavailable, code: "storage_unavailable",
                message: "The gateway could not reach its database; nothing was stored. Try again later.",
                headers: ["Retry-After": "5"])
        }
    }
}

extension AuthRefusal: HTTPErrorConvertible {
    /// The refusal in the contract's shape: 401 with the scheme to use.
    var httpError: HTTPError {
        switch self {
        case .unauthenticated(let message):
            HTTPError(.unauthorized, code: "unauthorized", message: message, headers: ["WWW-Authenticate": "Bearer"])
        }
    }
}
