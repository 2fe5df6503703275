/// Why `HTTPClient` produced no response. HTTP error statuses are responses, not errors.
package enum HTTPClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No connection was made (name resolution, refused, unreachable, or connect timeout): nothing was sent.
    case connectFailed(code: Int, message: String)
    /// The deadline passed after connecting; the server may have received and acted on the request.
    case timedOut(message: String)
    /// The body grew past `limit` bytes and the transfer was stopped.
    case responseTooLarge(limit: Int)
    /// Any other failure reported by libcurl (TLS, protocol, connection reset, empty reply, …).
    case transport(code: Int, message: String)
    /// The request could not be handed to libcurl (bad header characters, an option libcurl refused).
    case invalidRequest(message: String)
    /// The client was shut down before the transfer finished.
    case shutDown

    package var description: String {
        switch self {
        case .connectFailed(let code, let message): return "connect failed (curl \(code)): \(message)"
        case .timedOut(let message): return "timed out: \(message)"
        case .responseTooLarge(let limit): return "response body larger than \(limit) bytes"
        case .transport(let code, let message): return "transport error (curl \(code)): \(message)"
        case .invalidRequest(let message): return "invalid request: \(message)"
        case .shutDown: return "HTTP client shut down"
        }
    }
}
