import SpoolJSON

/// A response a handler returns: status, headers and a body that is either complete or streamed.
///
/// The server adds `Content-Length` (or chunked framing for streams), `Date`, `X-Request-Id` and `Connection`;
/// a handler sets only what is its own.
package struct HTTPResponse: Sendable {
    package var status: HTTPStatus
    package var headers: HTTPHeaders
    package var body: HTTPBody

    package init(status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders(), body: HTTPBody = .empty) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response: `Content-Type: application/json; charset=utf-8` and the compact encoding of `value`.
    package static func json(_ value: JSONValue, status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        json(serialized: value.serialized(), status: status, headers: headers)
    }

    /// A JSON response from a document already encoded (a cached one, say).
    package static func json(serialized bytes: [UInt8], status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        var headers = headers
        headers.set("Content-Type", "application/json; charset=utf-8")
        return HTTPResponse(status: status, headers: headers, body: .bytes(bytes))
    }

    /// A plain-text response (UTF-8).
    package static func text(_ text: String, status: HTTPStatus = .ok, contentType: String = "text/plain; charset=utf-8") -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": contentType], body: .bytes(Array(text.utf8)))
    }
}

/// The body of a response.
package enum HTTPBody: Sendable {
    /// No body (`Content-Length: 0`, or nothing at all for 204 and 304).
    case empty
    /// A complete body, sent with `Content-Length`.
    case bytes([UInt8])
    /// A body produced over time, sent with chunked transfer coding (server-sent events, long downloads).
    /// The closure writes through the writer and the response ends when it returns; a write to a client that
    /// has gone throws `HTTPBodyWriterError.closed`, which ends the closure's work.
    case stream(@Sendable (any HTTPBodyWriter) async throws -> Void)
    /// `length` bytes of an open file from `offset`, sent with `Content-Length` by the event loop itself as
    /// the socket takes them (`sendfile`, so the bytes go from the page cache to the socket without passing
    /// through the process): never read whole, and a slow reader holds the file open, not its contents.
    case file(HTTPFile, offset: Int64, length: Int64)
}

/// Where a streamed response's bytes go. Writes are sent in order; `write` returns once the bytes are queued
/// on the connection and waits (backpressure) while too much is queued and unsent.
package protocol HTTPBodyWriter: Sendable {
    /// Queues `bytes` as one chunk. Throws `HTTPBodyWriterError.closed` once the peer has gone or the server is stopping.
    func write(_ bytes: [UInt8]) async throws
}

package enum HTTPBodyWriterError: Error, Sendable {
    /// The connection closed (the peer left, or the server shut down) before the stream ended.
    case closed
}
