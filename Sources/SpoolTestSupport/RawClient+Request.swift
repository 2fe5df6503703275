extension RawClient {
    /// One request on a connection of its own to an `http://127.0.0.1:PORT/…` URL: `Connection: close`, a
    /// `Content-Length` when there is a body, and the whole response read within `timeout` seconds.
    package static func request(
        _ method: String, _ url: String, headers: [(String, String)] = [], body: [UInt8]? = nil, timeout: Double = 10
    ) async throws -> RawResponse {
        let (port, target) = try split(url)
        // Off the concurrency pool: a connect waits when the server's backlog is full, and the server under test
        // needs the pool's threads to accept.
        let client = try await offPool { try connect(port: port) }
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        try await client.send(Array(head.utf8) + (body ?? []))
        return try await client.readResponse(timeout: timeout, forHead: method == "HEAD")
    }

    /// The port and request-target of an `http://127.0.0.1:PORT/…` URL.
    package static func split(_ url: String) throws -> (port: Int, target: String) {
        guard url.hasPrefix("http://127.0.0.1:") else { throw TestFailure("not a local URL: \(url)") }
        let rest = url.dropFirst("http://127.0.0.1:".count)
        let portText = rest.prefix { $0.isNumber }
        guard let port = Int(portText) else { throw TestFailure("no port in \(url)") }
        let target = rest.dropFirst(portText.count)
        return (port, target.isEmpty ? "/" : String(target))
    }
}
