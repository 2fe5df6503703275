import SpoolHTTP
import SpoolJSON

/// An answer of the fal surface that is not a success, in fal's shapes: `{"detail": …}` (a string or a list of
/// `{"loc", "msg", "type"}`), sometimes with `error_type`, or a queue word such as `{"status": "NOT_FOUND"}`.
///
/// fal's clients read `detail` and retry 408, 409 and 429 many times, so nothing here answers those: refusals
/// that will not pass on a retry (quota, budget) are 403 and 402.
struct FalSurfaceError: Error, Sendable {
    var status: HTTPStatus
    var body: JSONValue
    var headers: HTTPHeaders = HTTPHeaders()

    var response: HTTPResponse { .json(body, status: status, headers: headers) }

    static func detail(_ status: HTTPStatus, _ message: String, errorType: String? = nil) -> FalSurfaceError {
        var body: JSONObject = ["detail": .string(message)]
        var headers = HTTPHeaders()
        if let errorType {
            body["error_type"] = .string(errorType)
            headers.add("X-Fal-Error-Type", errorType)
        }
        return FalSurfaceError(status: status, body: .object(body), headers: headers)
    }

    static func requestNotFound(_ id: String) -> FalSurfaceError {
        .detail(.notFound, "Request \(id) not found.")
    }

    static func endpointNotFound(_ endpoint: String) -> FalSurfaceError {
        .detail(.notFound, "Application \(endpoint) is not served here: GET /v1/models on Spool lists the models it offers.")
    }

    /// 422 with one `detail` entry per problem.
    static func validation(_ entries: [JSONValue]) -> FalSurfaceError {
        FalSurfaceError(status: .unprocessableEntity, body: ["detail": .array(entries)])
    }

    static func validationEntry(loc: [JSONValue], message: String, type: String = "value_error") -> JSONValue {
        ["loc": .array(loc), "msg": .string(message), "type": .string(type)]
    }

    /// A refusal of the job service in fal's shape, with the message Spool's own API gives (`APIErrors`).
    static func from(_ refusal: JobRefusal) -> FalSurfaceError {
        let error = refusal.httpError
        switch refusal {
        case .validationFailed, .unknownModel:
            return .validation(error.details.map { validationEntry(loc: location(of: $0.field), message: $0.message) })
        case .invalidJSON:
            return .validation([validationEntry(loc: ["body"], message: error.message, type: "json_invalid")])
        case .quotaExceeded:
            return .detail(.forbidden, error.message, errorType: "quota_exceeded")
        case .budgetExceeded:
            return .detail(HTTPStatus(code: 402), error.message, errorType: "budget_exceeded")
        default:
            // Never 408, 409 or 429: fal's clients would retry them ten times.
            let status: HTTPStatus = switch error.status.code {
            case 429: .forbidden
            case 408, 409: .badRequest
            default: error.status
            }
            var failure = FalSurfaceError.detail(status, error.message)
            for (name, value) in error.headers where name.lowercased() == "retry-after" { failure.headers.add(name, value) }
            return failure
        }
    }

    /// Spool's field path (`input.elements[0].frontal_image_url`) as fal's `loc`
    /// (`["body", "elements", 0, "frontal_image_url"]`); the webhook is fal's `fal_webhook` query parameter.
    static func location(of field: String) -> [JSONValue] {
        if field == "webhook_url" { return ["query", "fal_webhook"] }
        var location: [JSONValue] = ["body"]
        let path = field.hasPrefix("input.") ? String(field.dropFirst("input.".count)) : field
        for part in path.split(separator: ".") {
            let pieces = part.split(separator: "[")
            if let name = pieces.first, !part.hasPrefix("[") { location.append(.string(String(name))) }
            for index in pieces.dropFirst() {
                if let number = Int64(index.dropLast()) { location.append(.integer(number)) }
            }
        }
        return location
    }
}
