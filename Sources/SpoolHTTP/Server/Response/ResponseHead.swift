/// Writes a response's status line and header section.
///
/// The server owns the framing headers: a handler's own `Content-Length`, `Transfer-Encoding`, `Connection`,
/// `Date` or `X-Request-Id` are replaced by the server's, and a field whose name or value holds CR or LF (which
/// would let a value start a header or a body of its own) is dropped.
enum ResponseHead {
    /// How the body that follows is delimited.
    enum Framing {
        /// `Content-Length: n`, also for HEAD (the length GET would send).
        case length(Int)
        /// `Transfer-Encoding: chunked`.
        case chunked
        /// No framing header: 1xx/204/304, or an HTTP/1.0 stream that ends when the connection closes.
        case none
    }

    /// The `Connection` header the response carries.
    enum Persistence {
        /// HTTP/1.1 keep-alive, the default: no header.
        case keepAlive
        /// HTTP/1.0 keep-alive, which must be said.
        case keepAliveHTTP10
        case close
    }

    static let continueLine: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    static func write(
        status: HTTPStatus, headers: HTTPHeaders, framing: Framing, persistence: Persistence, date: [UInt8],
        requestID: String, into out: inout [UInt8]
    ) {
        out.append(contentsOf: "HTTP/1.1 ".utf8)
        appendDecimal(status.code, to: &out)
        out.append(0x20)
        out.append(contentsOf: status.reason.utf8)
        out.append(contentsOf: "\r\n".utf8)
        for field in headers where isHandlerField(field.name) && isSafe(field.name) && isSafe(field.value) {
            out.append(contentsOf: field.name.utf8)
            out.append(contentsOf: ": ".utf8)
            out.append(contentsOf: field.value.utf8)
            out.append(contentsOf: "\r\n".utf8)
        }
        switch framing {
        case .length(let length):
            out.append(contentsOf: "Content-Length: ".utf8)
            appendDecimal(length, to: &out)
            out.append(contentsOf: "\r\n".utf8)
        case .chunked:
            out.append(contentsOf: "Transfer-Encoding: chunked\r\n".utf8)
        case .none:
            break
        }
        switch persistence {
        case .keepAlive: break
        case .keepAliveHTTP10: out.append(contentsOf: "Connection: keep-alive\r\n".utf8)
        case .close: out.append(contentsOf: "Connection: close\r\n".utf8)
        }
        out.append(contentsOf: "Date: ".utf8)
        out.append(contentsOf: date)
        out.append(contentsOf: "\r\nX-Request-Id: ".utf8)
        out.append(contentsOf: requestID.utf8)
        out.append(contentsOf: "\r\n\r\n".utf8)
    }

    /// Frames one chunk of a chunked body: size in hex, CRLF, the bytes, CRLF.
    static func appendChunk(_ bytes: [UInt8], to out: inout [UInt8]) {
        appendHex(bytes.count, to: &out)
        out.append(contentsOf: "\r\n".utf8)
        out.append(contentsOf: bytes)
        out.append(contentsOf: "\r\n".utf8)
    }

    static let lastChunk: [UInt8] = Array("0\r\n\r\n".utf8)

    /// Whether a response with this status never has a body (RFC 9110 §6.4.1).
    static func forbidsBody(_ status: HTTPStatus) -> Bool {
        status.code < 200 || status.code == 204 || status.code == 304
    }

    private static let serverOwned = ["content-length", "transfer-encoding", "connection", "date", "x-request-id"]

    private static func isHandlerField(_ name: String) -> Bool {
        !serverOwned.contains { HTTPHeaders.same($0, name) }
    }

    private static func isSafe(_ text: String) -> Bool {
        !text.utf8.contains { $0 == 0x0D || $0 == 0x0A }
    }

    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        if value < 10 {
            out.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        appendDecimal(value / 10, to: &out)
        out.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    private static func appendHex(_ value: Int, to out: inout [UInt8]) {
        if value >= 16 { appendHex(value / 16, to: &out) }
        let digit = UInt8(value % 16)
        out.append(digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10)
    }
}
