/// Why a request could not be read. Each kind is answered with its status and the connection is closed.
struct RequestParseError: Error, Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        case badRequest
        case uriTooLong
        case headerFieldsTooLarge
        case payloadTooLarge
        case versionNotSupported
        case expectationFailed
    }

    let kind: Kind
    /// A sentence for the client, naming what was wrong.
    let message: String

    init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The answer, in the contract's error shape.
    var httpError: HTTPError {
        switch kind {
        case .badRequest: HTTPError(.badRequest, code: "bad_request", message: message)
        case .uriTooLong: HTTPError(.uriTooLong, code: "uri_too_long", message: message)
        case .headerFieldsTooLarge: HTTPError(.headerFieldsTooLarge, code: "header_fields_too_large", message: message)
        case .payloadTooLarge: HTTPError(.payloadTooLarge, code: "payload_too_large", message: message)
        case .versionNotSupported: HTTPError(.httpVersionNotSupported, code: "http_version_not_supported", message: message)
        case .expectationFailed: HTTPError(.expectationFailed, code: "expectation_failed", message: message)
        }
    }
}
