import SpoolFal
import SpoolJSON

extension FalError {
    /// A short label for metrics: ok is recorded separately; these name the failure class.
    var outcomeLabel: String {
        switch self {
        case .inputRejected: return "input_rejected"
        case .authentication: return "auth"
        case .notFound: return "not_found"
        case .unreachable: return "unreachable"
        case .transient: return "transient"
        case .runFailed: return "run_failed"
        case .unexpected: return "unexpected"
        case .cancelled: return "cancelled"
        }
    }

    /// The error in one sentence, for history notes and job errors (never carries the key).
    var summary: String { description }

    /// What fal said in detail, kept for the job's `error.detail`.
    var detail: JSONValue? {
        switch self {
        case .inputRejected(_, let detail, _): return detail
        case .runFailed(_, let errorType, let detail, let message):
            var object: JSONObject = ["message": .string(message)]
            if let errorType { object["error_type"] = .string(errorType) }
            if let detail { object["detail"] = detail }
            return .object(object)
        case .transient(let status, let errorType, _, _, let message):
            var object: JSONObject = ["message": .string(message)]
            if let status { object["status"] = .integer(Int64(status)) }
            if let errorType { object["error_type"] = .string(errorType) }
            return .object(object)
        default: return nil
        }
    }

    /// fal's `Retry-After`, when it sent one.
    var retryAfterSeconds: Double? {
        if case .transient(_, _, let seconds, _, _) = self { return seconds }
        return nil
    }
}

extension FalLog {
    /// The log line as relayed on event streams.
    var json: JSONValue {
        var object: JSONObject = ["message": .string(message)]
        if let level { object["level"] = .string(level) }
        if let source { object["source"] = .string(source) }
        if let timestamp { object["timestamp"] = .string(timestamp) }
        return .object(object)
    }
}
