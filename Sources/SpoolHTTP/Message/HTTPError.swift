import SpoolJSON

/// The one error type handlers throw to answer with a status; turned into the contract's error body:
/// `{"error": {"code": "…", "message": "…", "details": [{"field": "…", "message": "…"}]}}`.
///
/// Other error types answer through `HTTPErrorConvertible`; any other error a handler throws becomes a 500 `internal_error` whose message reveals nothing.
public struct HTTPError: Error, Sendable {
    /// One problem with one field of the request.
    public struct Detail: Sendable, Equatable {
        public var field: String
        public var message: String
        public init(field: String, message: String) {
            self.field = field
            self.message = message
        }
    }

    public var status: HTTPStatus
    /// A stable machine-readable code, such as `validation_failed`.
    public var code: String
    /// A sentence for people.
    public var message: String
    public var details: [Detail]
    /// Extra members of the `error` object, such as a failed job's own `error`.
    public var extra: JSONObject
    /// Extra response headers, such as `Allow` or `Retry-After`.
    public var headers: HTTPHeaders

    public init(
        _ status: HTTPStatus, code: String, message: String, details: [Detail] = [], extra: JSONObject = JSONObject(),
        headers: HTTPHeaders = HTTPHeaders()
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.extra = extra
        self.headers = headers
    }

    /// The JSON body in the contract's shape.
    public var body: JSONValue {
        var error: JSONObject = ["code": .string(code), "message": .string(message)]
        if !details.isEmpty {
            error["details"] = .array(details.map { ["field": .string($0.field), "message": .string($0.message)] })
        }
        for (key, value) in extra { error[key] = value }
        return .object(["error": .object(error)])
    }

    /// The response that carries this error.
    public var response: HTTPResponse { HTTPResponse.json(body, status: status, headers: headers) }

    public static func notFound(_ message: String = "No such resource.") -> HTTPError {
        HTTPError(.notFound, code: "not_found", message: message)
    }

    public static func badRequest(_ message: String, code: String = "bad_request") -> HTTPError {
        HTTPError(.badRequest, code: code, message: message)
    }

    public static func methodNotAllowed(allowed: [HTTPMethod]) -> HTTPError {
        let allow = allowed.map(\.rawValue).joined(separator: ", ")
        return HTTPError(
            .methodNotAllowed, code: "method_not_allowed", message: "This path answers only \(allow).",
            headers: ["Allow": allow])
    }

    public static let internalError = HTTPError(
        .internalServerError, code: "internal_error", message: "The server failed to answer this request.")
}
