import Foundation
import SpoolJSON

/// Turns fal's HTTP answers into results or `FalError`s. Pure functions of the response, for testing.
enum FalResponseDecoding {
    static func submission(from response: HTTPClientResponse, now: Date) throws(FalError) -> FalSubmission {
        let json = try successBody(response, now: now)
        guard let requestID = json["request_id"]?.stringValue, let statusURL = json["status_url"]?.stringValue,
            let responseURL = json["response_url"]?.stringValue, let cancelURL = json["cancel_url"]?.stringValue
        else {
            throw .unexpected(status: response.status, message: "submit answer lacks request_id or one of the URLs: "
                + excerpt(response.body))
        }
        return FalSubmission(
            requestID: requestID, gatewayRequestID: json["gateway_request_id"]?.stringValue,
            statusURL: statusURL, responseURL: responseURL, cancelURL: cancelURL,
            queuePosition: json["queue_position"]?.integerValue.map { Int($0) }, report: FalReport(headers: response.headers))
    }

    static func status(from response: HTTPClientResponse, now: Date) throws(FalError) -> FalStatus {
        try status(fromJSON: successBody(response, now: now), httpStatus: response.status)
    }

    /// One status object, from the status endpoint or a `data:` line of the status stream.
    static func status(fromJSON json: JSONValue, httpStatus: Int?) throws(FalError) -> FalStatus {
        let logs = (json["logs"]?.arrayValue ?? []).compactMap(log)
        switch json["status"]?.stringValue {
        case "IN_QUEUE":
            return .inQueue(position: json["queue_position"]?.integerValue.map { Int($0) })
        case "IN_PROGRESS":
            return .inProgress(logs: logs)
        case "COMPLETED":
            let metrics = json["metrics"].nonNull
            return .completed(logs: logs, metrics: metrics, error: json["error"]?.stringValue,
                              errorType: json["error_type"]?.stringValue)
        default:
            throw .unexpected(status: httpStatus, message: "unknown request status: " + json.serializedString())
        }
    }

    /// The model's output. Called after COMPLETED, so an error status is the run's own failure, except for the
    /// answers that say something about the key, the request, rate limits, or the platform: a 5xx without JSON,
    /// or one that fal marks as its own (`X-Fal-Error-Type`, or `X-Fal-Retryable: true`), is transient.
    static func result(from response: HTTPClientResponse, now: Date) throws(FalError) -> JSONValue {
        if (200..<300).contains(response.status) { return try successBody(response, now: now) }
        let json = try? JSONValue(parsing: response.body)
        switch response.status {
        case 401, 403, 404, 408, 422, 429: throw error(from: response, now: now)
        case 500...599 where json == nil || isPlatformError(response): throw error(from: response, now: now)
        default:
            let fields = ErrorFields(response, json: json)
            throw .runFailed(status: response.status, errorType: fields.errorType, detail: fields.detail,
                             message: fields.message)
        }
    }

    /// Whether fal's platform, not the model, produced this error answer.
    static func isPlatformError(_ response: HTTPClientResponse) -> Bool {
        response.headers["x-fal-error-type"] != nil || response.headers["x-fal-retryable"]?.lowercased() == "true"
    }

    static func cancelOutcome(from response: HTTPClientResponse, now: Date) throws(FalError) -> FalCancelOutcome {
        let json = try? JSONValue(parsing: response.body)
        switch (response.status, json?["status"]?.stringValue) {
        case (_, "ALREADY_COMPLETED"): return .alreadyCompleted
        // fal answers `OK` as well as `CANCELLATION_REQUESTED`: both mean the cancel was taken.
        case (_, "CANCELLATION_REQUESTED"), (_, "OK"): return .cancellationRequested
        case (404, _), (_, "NOT_FOUND"): return .notFound
        case (200..<300, _): return .cancellationRequested
        default: throw error(from: response, now: now)
        }
    }

    /// The JSON body of a 2xx answer; any other status becomes the `FalError` it stands for.
    static func successBody(_ response: HTTPClientResponse, now: Date) throws(FalError) -> JSONValue {
        guard (200..<300).contains(response.status) else { throw error(from: response, now: now) }
        do {
            return try JSONValue(parsing: response.body)
        } catch {
            let text = excerpt(response.body)
            throw .unexpected(status: response.status, message: "answer is not JSON (\(error)): \(text)")
        }
    }

    /// The error an unsuccessful answer stands for.
    static func error(from response: HTTPClientResponse, now: Date) -> FalError {
        let fields = ErrorFields(response, json: try? JSONValue(parsing: response.body))
        switch response.status {
        case 422:
            let detail = fields.detail ?? .string(fields.message)
            return .inputRejected(status: 422, detail: detail, retryable: fields.retryable)
        case 401, 403:
            return .authentication(status: response.status, message: fields.message)
        case 404:
            return .notFound(message: fields.message)
        case 408, 429, 500...599:
            return .transient(
                status: response.status, errorType: fields.errorType,
                retryAfterSeconds: response.headers["retry-after"].flatMap { RetryAfter.seconds($0, now: now) },
                retryable: fields.retryable, message: fields.message)
        default:
            return .unexpected(status: response.status, message: fields.message)
        }
    }

    private static func log(_ value: JSONValue) -> FalLog? {
        guard let message = value["message"]?.stringValue else { return nil }
        return FalLog(message: message, level: value["level"]?.stringValue, source: value["source"]?.stringValue,
                      timestamp: value["timestamp"]?.stringValue)
    }

    /// At most 500 bytes of a body, for messages.
    static func excerpt(_ body: [UInt8]) -> String {
        let text = String(decoding: body.prefix(500), as: UTF8.self)
        return body.count > 500 ? text + "…" : text
    }
}

/// What fal's error answers carry, wherever it sits: `detail`, `error_type`, and two headers.
private struct ErrorFields {
    var detail: JSONValue?
    var errorType: String?
    var retryable: Bool?
    var message: String

    init(_ response: HTTPClientResponse, json: JSONValue?) {
        detail = json?["detail"] ?? json
        // A 504 for the caller's own `X-Fal-Request-Timeout` may say so only in `X-Fal-Request-Timeout-Type`.
        let userTimeout = response.headers["x-fal-request-timeout-type"]?.lowercased() == "user" ? "request_timeout" : nil
        errorType = response.headers["x-fal-error-type"] ?? json?["error_type"]?.stringValue ?? userTimeout
        retryable = response.headers["x-fal-retryable"].flatMap { value in
            switch value.lowercased() {
            case "true", "1": return true
            case "false", "0": return false
            default: return nil
            }
        }
        if let text = detail?.stringValue {
            message = text
        } else if let detail {
            message = detail.serializedString()
        } else {
            message = response.body.isEmpty ? "HTTP \(response.status)" : FalResponseDecoding.excerpt(response.body)
        }
    }
}

extension Optional where Wrapped == JSONValue {
    /// The value unless it is absent or JSON `null`. (A ternary such as `v.isNull ? nil : v` would infer
    /// `JSONValue` and turn `nil` into `.null`, since `JSONValue` is expressible by `nil`.)
    var nonNull: JSONValue? {
        guard case .some(let value) = self, value != .null else { return .none }
        return value
    }
}
