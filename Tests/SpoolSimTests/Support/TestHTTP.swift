import Foundation
import SpoolJSON
#if canImport(Glibc)
import Glibc
#endif

/// An answer as the test client read it.
struct TestResponse: Sendable {
    let status: Int
    let headers: [(name: String, value: String)]
    let body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body parsed as JSON (`.null` when it is not JSON, so that expectations on it fail readably).
    var json: JSONValue { (try? JSONValue(parsing: body)) ?? .null }
}

/// A small HTTP/1.1 client for the tests: one request per connection to 127.0.0.1, `Connection: close`,
/// bodies framed by `Content-Length`, chunks or the end of the connection. The blocking socket work runs off
/// the Swift concurrency pool.
enum TestHTTP {
    static func send(
        _ method: String, _ url: String, headers: [(String, String)] = [], body: [UInt8]? = nil, timeout: Double = 10
    ) async throws -> TestResponse {
        let (port, target) = try split(url)
        return try await TestSocket.offPool {
            let fd = try TestSocket.connect(port: port, timeout: timeout)
            defer { close(fd) }
            var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            if let body { head += "Content-Length: \(body.count)\r\n" }
            head += "\r\n"
            try TestSocket.writeAll(fd, Array(head.utf8) + (body ?? []))
            return try read(fd, method: method)
        }
    }

    /// A JSON request with `Authorization: Key <key>` (when given).
    static func json(
        _ method: String, _ url: String, key: String? = "test-key", body: JSONValue? = nil,
        extraHeaders: [(String, String)] = []
    ) async throws -> TestResponse {
        var headers = extraHeaders
        if let key { headers.append(("Authorization", "Key \(key)")) }
        if body != nil { headers.append(("Content-Type", "application/json")) }
        return try await send(method, url, headers: headers, body: body?.serialized())
    }

    /// The port and request-target of an `http://127.0.0.1:PORT/…` URL.
    static func split(_ url: String) throws -> (port: Int, target: String) {
        guard url.hasPrefix("http://127.0.0.1:") else { throw TestSocketError(description: "not a local URL: \(url)") }
        let rest = url.dropFirst("http://127.0.0.1:".count)
        let portText = rest.prefix { $0.isNumber }
        guard let port = Int(portText) else { throw TestSocketError(description: "no port in \(url)") }
        let target = rest.dropFirst(portText.count)
        return (port, target.isEmpty ? "/" : String(target))
    }

    private static func read(_ fd: Int32, method: String) throws -> TestResponse {
        var reader = MessageReader(fd: fd)
        let lines = try reader.readHead()
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw TestSocketError(description: "bad status line \(lines[0])")
        }
        let headers = lines.dropFirst().compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        let response = { (body: [UInt8]) in TestResponse(status: status, headers: headers, body: body) }
        func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name }?.value }
        if method == "HEAD" || status == 204 || status == 304 { return response([]) }
        if header("transfer-encoding")?.lowercased() == "chunked" {
            var body: [UInt8] = []
            while true {
                let chunk = try reader.readChunk()
                if chunk.isEmpty { return response(body) }
                body += chunk
            }
        }
        if let length = header("content-length").flatMap(Int.init) { return response(try reader.readExactly(length)) }
        var body = reader.buffer
        while true {
            let more = try TestSocket.read(fd)
            if more.isEmpty { return response(body) }
            body += more
        }
    }
}

/// Polls `condition` every 20 ms until it holds or `seconds` pass; returns whether it held.
func eventually(within seconds: Double = 10, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
