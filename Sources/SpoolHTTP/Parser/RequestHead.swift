/// A request's line and header section, parsed and checked, before its body.
struct RequestHead: Sendable {
    var method: HTTPMethod
    /// The request-target exactly as sent.
    var target: String
    /// For an absolute-form target (`http://host/path?q`): its path and query, which the handler sees as
    /// `path` and `query`. Nil for origin-form (`/path?q`) and asterisk-form (`*`).
    var absoluteForm: (path: String, query: String?)?
    var version: (major: Int, minor: Int)
    var headers: HTTPHeaders
    /// The client sent `Expect: 100-continue` and a body is expected: it waits for `100 Continue` before sending it.
    var expectsContinue: Bool

    var isHTTP10: Bool { version.minor == 0 }
}

/// How a request's body is delimited (RFC 9112 §6.3).
enum BodyFraming: Equatable {
    case none
    case length(Int)
    case chunked
}
