import SpoolJSON

/// Why a fal queue operation did not give the expected answer. Messages never contain the fal key.
package enum FalError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 422: fal or the model refused the input. `detail` is fal's `detail` as sent: a string, or a list of
    /// `{"loc", "msg", "type", …}` objects. `retryable` is fal's `X-Fal-Retryable` header, when present.
    case inputRejected(status: Int, detail: JSONValue, retryable: Bool?)
    /// 401 or 403: the key is missing, wrong, or not allowed to use this endpoint.
    case authentication(status: Int, message: String)
    /// 404: unknown endpoint or request id, or a result fal no longer keeps.
    case notFound(message: String)
    /// No connection could be made, so nothing reached fal: any request, a submit included, is safe to repeat.
    case unreachable(message: String)
    /// A later retry may succeed: 408, 429 and 5xx answers, and timeouts or broken connections after the request
    /// was sent (`status` nil) — after a submit, fal may then have accepted the job.
    /// `errorType` is fal's `X-Fal-Error-Type` header or `error_type` field (`request_timeout`, `runner_…`).
    case transient(status: Int?, errorType: String?, retryAfterSeconds: Double?, retryable: Bool?, message: String)
    /// The run itself failed: a COMPLETED status carrying `error`, or a result fetch answered with the model's error.
    case runFailed(status: Int?, errorType: String?, detail: JSONValue?, message: String)
    /// Anything else: an unexpected status, or an answer not shaped the way fal shapes it.
    case unexpected(status: Int?, message: String)
    /// The calling task was cancelled or the HTTP client shut down before an answer arrived.
    case cancelled

    /// True for failures worth retrying later with backoff (`unreachable` and `transient`).
    package var isTransient: Bool {
        switch self {
        case .unreachable, .transient: return true
        default: return false
        }
    }

    package var description: String {
        switch self {
        case .inputRejected(let status, let detail, _):
            return "fal rejected the input (\(status)): \(detail.serializedString())"
        case .authentication(let status, let message): return "fal refused the key (\(status)): \(message)"
        case .notFound(let message): return "fal: not found: \(message)"
        case .unreachable(let message): return "fal unreachable: \(message)"
        case .transient(let status, let errorType, _, _, let message):
            return "fal transient failure (\(status.map(String.init) ?? "no answer")"
                + "\(errorType.map { ", \($0)" } ?? "")): \(message)"
        case .runFailed(let status, let errorType, _, let message):
            let type = errorType.map { ", \($0)" } ?? ""
            return "fal run failed (\(status.map(String.init) ?? "status")\(type)): \(message)"
        case .unexpected(let status, let message):
            return "unexpected fal answer (\(status.map(String.init) ?? "no status")): \(message)"
        case .cancelled: return "fal request cancelled"
        }
    }
}

extension FalError {
    /// Maps a failure of the HTTP layer (or task cancellation) to the fal error it means.
    init(transportFailure error: Error) {
        switch error {
        case let error as HTTPClientError:
            switch error {
            case .connectFailed(_, let message): self = .unreachable(message: message)
            case .timedOut(let message), .transport(_, let message):
                self = .transient(status: nil, errorType: nil, retryAfterSeconds: nil, retryable: nil, message: message)
            case .responseTooLarge, .invalidRequest: self = .unexpected(status: nil, message: error.description)
            case .shutDown: self = .cancelled
            }
        case is CancellationError: self = .cancelled
        case let error as FalError: self = error
        default: self = .unexpected(status: nil, message: String(describing: error))
        }
    }
}
