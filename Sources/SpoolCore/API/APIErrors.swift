import Logging
import SpoolHTTP

/// The contract's errors that more than one handler raises.
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

    /// A database failure as the caller sees it: 503 with a reason, never the database's text; the log has the detail.
    static func storage(_ error: any Error, logger: Logger) -> HTTPError {
        if let error = error as? HTTPError { return error }
        logger.error("database operation failed", metadata: ["error": "\(error)"])
        if let full = error as? any StorageFullError, full.isStorageFull {
            return HTTPError(
                .serviceUnavailable, code: "storage_full",
                message: "The gateway's disk is full; nothing was stored. Try again later.", headers: ["Retry-After": "60"])
        }
        return HTTPError(
            .serviceUnavailable, code: "storage_unavailable",
            message: "The gateway could not reach its database; nothing was stored. Try again later.",
            headers: ["Retry-After": "5"])
    }
}
