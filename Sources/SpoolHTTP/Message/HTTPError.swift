import SpoolJSON

/// The one error type handlers throw to answer with a status; turned into the contract's error body:
/// `{"error": {"code": "…", "message": "…", "details": [{"field": "…", "message": "…"}]}}`.
///
/// Other error types answer through `HTTPErrorConvertible`; any other error a handler throws becomes a 500 `internal_error` whose message reveals nothing.
package struct HTTPError: Error, Sendable {
    /// One problem with one field of the request.
    package struct Detail: Sendable, Equatable {
        package var field: String
        package var message: String
        package init(field: String, message: String) {
            self.field = field
            self.message = message
        }
    }

    package var status: HTTPStatus
    /// A stable machine-readable code, such as `validation_failed`.
    package var code: String
    /// A sentence for people.
    package var message: String
    package var details: [Detail]
    /// Extra members of the `error` object, such as a failed job's own `error`.
    package var extra: JSONObject
    /// Extra response headers, such as `Allow` or `Retry-After`.
    package var headers: HTTPHeaders

    package init(
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
    package var body: JSONValue {
        var error: JSONObject = ["code": .string(code), "message": .string(message)]
        if !details.isEmpty {
            error["details"] = .array(details.map { ["field": .string($0.field), "message": .string($0.message)] })
        }
        for (key, value) in extra { error[key] = value }
        return .object(["error": .object(error)])
    }

    /// The response that carries this error.
    package var response: HTTPResponse { HTTPResponse.json(body, status: status, headers: headers) }

    package static func notFound(_ message: String = "No such resource.") -> HTTPError {
        HTTPError(.notFound, code: "not_found", message: message)
    }

    package static func badRequest(_ message: String, code: String = "bad_request") -> HTTPError {
        HTTPError(.badRequest, code: code, message: message)
    }

    package static func methodNotAllowed(allowed: [HTTPMethod]) -> HTTPError {
        let allow = allowed.map(\.rawValue).joined(separator: ", ")
        return HTTPError(
            .methodNotAllowed, code: "method_not_allowed", message: "This path answers only \(allow).",
            headers: ["Allow": allow])
    }

    package static let internalError = HTTPError(
        .internalServerError, code: "internal_error", message: "The server failed to answer this request.")
}
