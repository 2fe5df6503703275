import SpoolJSON
import SpoolTestSupport
import Testing
@testable import SpoolHTTP

@Suite("Timeouts")
struct TimeoutTests {
    @Test("a header section not complete within headerTimeout gets 408 and the connection closes")
    func headerTimeout() async throws {
        try await withServer(basicRouter(), configure: { $0.headerTimeout = 0.3 }) { server in
            let client = try RawClient.connect(port: server.port)
            try await client.send("GET /hello HTTP/1.1\r\nHost: t\r\n")
            let response = try await client.readResponse(timeout: 5)
            #expect(response.status == 408)
            #expect(try JSONValue(parsing: response.body)["error"]?["code"] == "request_timeout")
            #expect(response.header("Connection") == "close")
            #expect(await client.waitForClose())
        }
    }

    @Test("a trickling client does not escape headerTimeout by sending a byte now and then")
    func headerTimeoutCountsFromFirstByte() async throws {
        try await withServer(basicRouter(), configure: { $0.headerTimeout = 0.5 }) { server in
            let client = try RawClient.connect(port: server.port)
            let started = RawClient.now()
            var sent = 0
            // Keep trickling until the server answers; it must not wait for the header section to finish.
            for byte in "GET /hello HTTP/1.1\r\nHost: t\r\nX-Slow: ".utf8 + Array(repeating: UInt8(ascii: "a"), count: 1000) {
                try? await client.send([byte])
                sent += 1
                if RawClient.now() - started > 0.7 { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(try await client.readResponse().status == 408)
        }
    }

    @Test("an idle keep-alive connection is closed silently after idleTimeout")
    func idleTimeout() async throws {
        try await withServer(basicRouter(), configure: { $0.idleTimeout = 0.3 }) { server in
            let client = try RawClient.connect(port: server.port)
            try await client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await client.readResponse().status == 200)
            let rest = try await client.readToEnd(timeout: 5)
            #expect(rest.isEmpty)
        }
    }

    @Test("a connection that never sends anything is closed after idleTimeout")
    func silentConnection() async throws {
        try await withServer(basicRouter(), configure: { $0.idleTimeout = 0.3 }) { server in
            let client = try RawClient.connect(port: server.port)
            #expect(await client.waitForClose(timeout: 5))
        }
    }

    @Test("a body that stalls for bodyReadTimeout gets 408 and the connection closes")
    func bodyTimeout() async throws {
        try await withServer(basicRouter(), configure: { $0.bodyReadTimeout = 0.3 }) { server in
            let client = try RawClient.connect(port: server.port)
            try await client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nonly part")
            let response = try await client.readResponse(timeout: 5)
            #expect(response.status == 408)
            #expect(try JSONValue(parsing: response.body)["error"]?["code"] == "request_timeout")
            #expect(await client.waitForClose())
        }
    }

    @Test("a long-running handler is not cut off by the idle or header timeouts")
    func slowHandlerIsNotTimedOut() async throws {
        var router = Router()
        router.get("/slow", .async { _ in
            try await Task.sleep(for: .milliseconds(600))
            return HTTPResponse.text("done")
        })
        try await withServer(router, configure: { $0.idleTimeout = 0.2; $0.headerTimeout = 0.2 }) { server in
            let client = try RawClient.connect(port: server.port)
            try await client.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await client.readResponse().text == "done")
        }
    }
}
