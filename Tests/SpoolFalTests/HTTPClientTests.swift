import Foundation
import SpoolTestSupport
import Testing
@testable import SpoolFal

@Suite("HTTP client over libcurl's multi interface")
struct HTTPClientTests {
    /// Answers with the request's method, its `x-` headers echoed as `x-echo-…`, two `Set-Cookie` fields and its body.
    static let echo: @Sendable (TestRequest) -> TestReply = { request in
        var headers = [("X-Method", request.method), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")]
        for (name, value) in request.headers where name.lowercased().hasPrefix("x-") {
            headers.append(("X-Echo-\(name)", value))
        }
        headers.append(("X-Echo-Content-Type", request.header("content-type") ?? "none"))
        headers.append(("X-Echo-Content-Length", request.header("content-length") ?? "none"))
        headers.append(("X-Echo-Expect", request.header("expect") ?? "none"))
        headers.append(("X-Echo-User-Agent", request.header("user-agent") ?? "none"))
        return .respond(status: request.method == "POST" ? 201 : 200, headers: headers, body: request.body)
    }

    @Test("a POST carries its body and headers, and the response keeps duplicate headers and the peer address")
    func postRoundTrip() async throws {
        let server = try TestHTTPServer(handler: Self.echo)
        defer { server.stop() }
        let client = HTTPClient()
        defer { client.shutdown() }

        let body = (0..<3000).map { UInt8($0 % 256) }
        let response = try await client.execute(HTTPClientRequest(
            method: .post, url: server.baseURL + "/things",
            headers: [("X-Test", "hello"), ("Content-Type", "application/json")], body: body))

        #expect(response.status == 201)
        #expect(response.body == body)
        #expect(response.headers["x-echo-x-test"] == "hello")
        #expect(response.headers["X-ECHO-CONTENT-TYPE"] == "application/json")
        #expect(response.headers["x-echo-content-length"] == "3000")
        #expect(response.headers["x-echo-expect"] == "none")
        #expect(response.headers.values("set-cookie") == ["a=1", "b=2"])
        #expect(response.remoteAddress == "127.0.0.1")
    }

    @Test("GET sends no body, PUT without a body sends an empty one, and the user agent is spool's")
    func methods() async throws {
        let server = try TestHTTPServer(handler: Self.echo)
        defer { server.stop() }
        let client = HTTPClient()
        defer { client.shutdown() }

        let get = try await client.execute(HTTPClientRequest(url: server.baseURL + "/a"))
        #expect(get.status == 200)
        #expect(get.headers["x-method"] == "GET")
        #expect(get.headers["x-echo-content-length"] == "none")
        #expect(get.headers["x-echo-user-agent"] == HTTPClientConfiguration.defaultUserAgent)

        let put = try await client.execute(HTTPClientRequest(method: .put, url: server.baseURL + "/b/cancel"))
        #expect(put.headers["x-method"] == "PUT")
        #expect(put.headers["x-echo-content-length"] == "0")

        let delete = try await client.execute(HTTPClientRequest(method: .delete, url: server.baseURL + "/c"))
        #expect(delete.headers["x-method"] == "DELETE")
    }

    @Test("sequential requests to one host reuse one connection")
    func connectionReuse() async throws {
        let server = try TestHTTPServer(handler: Self.echo)
        defer { server.stop() }
        let client = HTTPClient()
        defer { client.shutdown() }

        for index in 0..<5 {
            let response = try await client.execute(HTTPClientRequest(url: server.baseURL + "/\(index)"))
            #expect(response.status == 200)
        }
        #expect(server.counters.withLock { $0.connectionsAccepted } == 1)
    }

    @Test("200 requests are in flight at once on one client")
    func manyConcurrent() async throws {
        let count = 200
        let barrier = TestBarrier(count: count)
        let server = try TestHTTPServer { _ in
            barrier.arriveAndWait() ? .respond(status: 200, body: Array("ok".utf8)) : .respond(status: 500)
        }
        defer { server.stop() }
        let client = HTTPClient(configuration: .init(maxConnectionsPerHost: 0))
        defer { client.shutdown() }

        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<count {
                group.addTask { try await client.execute(HTTPClientRequest(url: server.baseURL + "/\(index)")).status }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses == Array(repeating: 200, count: count))
    }

    @Test("the total timeout ends a transfer the server never answers")
    func totalTimeout() async throws {
        let server = try TestHTTPServer { _ in .holdUntilClientCloses }
        defer { server.stop() }
        let client = HTTPClient()
        defer { client.shutdown() }

        await #expect {
            _ = try await client.execute(HTTPClientRequest(url: server.baseURL + "/slow", timeout: .milliseconds(500)))
        } throws: { error in
            if case .timedOut = error as? HTTPClientError { return true }
            return false
        }
        try await eventually("the client closed the held connection") {
            server.counters.withLock { $0.closedByClientWhileHeld } == 1
        }
    }

    @Test("a refused connection is a connect failure")
    func connectRefused() async throws {
        let port = try RefusingPort()
        defer { port.close() }
        let client = HTTPClient()
        defer { client.shutdown() }

        await #expect {
            _ = try await client.execute(HTTPClientRequest(url: port.url))
        } throws: { error in
            guard case .connectFailed(let code, let message) = error as? HTTPClientError else { return false }
            return code == 7 && !message.isEmpty
        }
    }

    @Test("a body over the cap fails, with or without a Content-Length")
    func responseCap() async throws {
        let large = [UInt8](repeating: 65, count: 100_000)
        let server = try TestHTTPServer { request in
            request.target == "/sized" ? .respond(status: 200, body: large) : .closeDelimited(body: large)
        }
        defer { server.stop() }
        let client = HTTPClient(configuration: .init(maxResponseBytes: 10_000))
        defer { client.shutdown() }

        for path in ["/sized", "/unsized"] {
            await #expect(throws: HTTPClientError.responseTooLarge(limit: 10_000)) {
                _ = try await client.execute(HTTPClientRequest(url: server.baseURL + path))
            }
        }
        let raised = try await client.execute(HTTPClientRequest(url: server.baseURL + "/sized", maxResponseBytes: 200_000))
        #expect(raised.body.count == large.count)
    }

    @Test("a connection closed without an answer is a transport error")
    func closedConnection() async throws {
        let server = try TestHTTPServer { _ in .closeWithoutAnswer }
        defer { server.stop() }
        let client = HTTPClient()
        defer { client.shutdown() }

        await #expect {
            _ = try await client.execute(HTTPClientRequest(url: server.baseURL + "/"))
        } throws: { error in
            guard case .transport(let code, _) = error as? HTTPClientError else { return false }
            return code == 52
        }
    }

    @Test("header fields with line breaks are refused before anything is sent")
    func headerInjection() async throws {
        let client = HTTPClient()
        defer { client.shutdown() }
        await #expect {
            _ = try await client.execute(HTTPClientRequest(
                url: "http://127.0.0.1:9/", headers: [("X-Bad", "a\r\nInjected: yes")]))
        } throws: { error in
            if case .invalidRequest = error as? HTTPClientError { return true }
            return false
        }
    }

    @Test("shutdown fails transfers in flight and refuses new ones")
    func shutdownFailsTransfers() async throws {
        let server = try TestHTTPServer { _ in .holdUntilClientCloses }
        defer { server.stop() }
        let client = HTTPClient()

        let pending = Task { try await client.execute(HTTPClientRequest(url: server.baseURL + "/held")) }
        try await eventually("the server received the request") {
            server.counters.withLock { $0.requestsReceived } == 1
        }
        client.shutdown()
        await #expect(throws: HTTPClientError.shutDown) { _ = try await pending.value }
        await #expect(throws: HTTPClientError.shutDown) {
            _ = try await client.execute(HTTPClientRequest(url: server.baseURL + "/later"))
        }
    }

    // The transfer thread and libcurl's global setup wait for the first request (an idle gateway keeps neither).

    @Test("a client shut down before its first request refuses requests and streams without sending anything")
    func shutdownBeforeFirstRequest() async throws {
        let server = try TestHTTPServer(handler: Self.echo)
        defer { server.stop() }
        let client = HTTPClient()
        client.shutdown()
        client.shutdown()

        await #expect(throws: HTTPClientError.shutDown) {
            _ = try await client.execute(HTTPClientRequest(url: server.baseURL + "/a"))
        }
        await #expect(throws: HTTPClientError.shutDown) {
            _ = try await client.stream(HTTPClientRequest(url: server.baseURL + "/b"))
        }
        #expect(server.counters.withLock { $0.requestsReceived } == 0)
    }
}
