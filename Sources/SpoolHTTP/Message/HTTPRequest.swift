/// A parsed HTTP/1.1 request with its whole body, as a handler sees it.
package struct HTTPRequest: Sendable {
    package var method: HTTPMethod
    /// The request-target exactly as sent (`/v1/jobs?limit=5`).
    package var target: String
    /// The path part of the target, percent-encoding left in place.
    package var path: String
    /// The query part of the target without the `?`, or nil when there was none.
    package var query: String?
    /// (major, minor): (1, 1) or (1, 0).
    package var version: (major: Int, minor: Int)
    package var headers: HTTPHeaders
    package var body: [UInt8]
    /// Values captured by `{name}` segments of the matched route, percent-decoded.
    package var pathParameters: [String: String] = [:]
    /// The route pattern that matched (`/v1/jobs/{id}`), for logs and metrics; nil before routing.
    package var routePattern: String?
    /// The client's `X-Request-Id` when it sent a sane one, otherwise one the server made.
    package var requestID: String
    /// The peer's address as `host:port`.
    package var remoteAddress: String

    package init(
        method: HTTPMethod, target: String, version: (major: Int, minor: Int) = (1, 1),
        headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [], requestID: String = "", remoteAddress: String = ""
    ) {
        self.method = method
        self.target = target
        if let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")) {
            self.path = String(target[..<mark])
            self.query = String(target[target.index(after: mark)...])
        } else {
            self.path = target
            self.query = nil
        }
        self.version = version
        self.headers = headers
        self.body = body
        self.requestID = requestID
        self.remoteAddress = remoteAddress
    }

    /// The query's parameters in order, `+` and percent-escapes decoded.
    package var queryItems: [(name: String, value: String)] {
        guard let query, !query.isEmpty else { return [] }
        return query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = PercentDecoding.decode(parts[0], plusIsSpace: true) ?? String(parts[0])
            let value = parts.count > 1 ? (PercentDecoding.decode(parts[1], plusIsSpace: true) ?? String(parts[1])) : ""
            return (name, value)
        }
    }

    /// The first value of query parameter `name`, or nil.
    package func queryValue(_ name: String) -> String? {
        queryItems.first { $0.name == name }?.value
    }

    /// Whether the connection stays open after this request by default (HTTP/1.1 unless `Connection: close`;
    /// HTTP/1.0 only with `Connection: keep-alive`).
    package var wantsKeepAlive: Bool {
        let tokens = headers.values("Connection").flatMap { $0.split(separator: ",") }
            .map { $0.trimmingSpaces().lowercased() }
        if version.major == 1, version.minor == 0 { return tokens.contains("keep-alive") }
        return !tokens.contains("close")
    }
}

/// Decoding of `%XX` escapes in URL components.
package enum PercentDecoding {
    /// Decodes `%XX` escapes (and `+` as space when asked); nil when an escape is malformed or the result
    /// is not UTF-8.
    package static func decode<S: StringProtocol>(_ text: S, plusIsSpace: Bool = false) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue)
                else { return nil }
                bytes.append(high << 4 | low)
            } else if plusIsSpace, byte == UInt8(ascii: "+") {
                bytes.append(0x20)
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (HTTP's optional white space).
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = lastIndex(where: { !isSpace($0) })!
        return String(self[first...last])
    }
}
