import SpoolJSON
import SpoolTestSupport
import Testing
@testable import SpoolHTTP

@Suite("Limits and malformed requests")
struct LimitTests {
    /// Sends `request`, expects `status` with `code` in the error shape, `Connection: close`, and the close itself.
    private func expectRefusal(
        _ request: String, status: Int, code: String,
        configure: (inout HTTPServerConfiguration) -> Void = { _ in }
    ) async throws {
        try await withServer(basicRouter(), configure: configure) { server in
            let client = try RawClient.connect(port: server.port)
            try await client.send(request)
            let response = try await client.readResponse()
            #expect(response.status == status)
            #expect(try JSONValue(parsing: response.body)["error"]?["code"] == .string(code))
            #expect(response.header("Connection") == "close")
            #expect(await client.waitForClose())
        }
    }

    @Test("a request line over maxRequestLineLength gets 414")
    func requestLineTooLong() async throws {
        let path = "/" + String(repeating: "a", count: 300)
        try await expectRefusal(
            "GET \(path) HTTP/1.1\r\nHost: t\r\n\r\n", status: 414, code: "uri_too_long",
            configure: { $0.maxRequestLineLength = 256 })
    }

    @Test("a request line over the limit gets 414 even before its end arrives")
    func requestLineTooLongUnfinished() async throws {
        try await expectRefusal(
            "GET /" + String(repeating: "a", count: 400), status: 414, code: "uri_too_long",
            configure: { $0.maxRequestLineLength = 256 })
    }

    @Test("a header section over maxHeaderBytes gets 431")
    func headersTooLarge() async throws {
        let big = String(repeating: "v", count: 2000)
        try await expectRefusal(
            "GET /hello HTTP/1.1\r\nHost: t\r\nX-A: \(big)\r\nX-B: \(big)\r\n\r\n", status: 431,
            code: "header_fields_too_large", configure: { $0.maxHeaderBytes = 3000 })
    }

    @Test("more than maxHeaderCount header fields get 431")
    func tooManyHeaders() async throws {
        let fields = (0..<11).map { "X-\($0): 1\r\n" }.joined()
        try await expectRefusal(
            "GET /hello HTTP/1.1\r\nHost: t\r\n\(fields)\r\n", status: 431, code: "header_fields_too_large",
            configure: { $0.maxHeaderCount = 10 })
    }

    @Test("a Content-Length over maxBodyBytes gets 413 before any of the body is read")
    func contentLengthTooLarge() async throws {
        try await expectRefusal(
            "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n", status: 413, code: "payload_too_large",
            configure: { $0.maxBodyBytes = 4096 })
    }

    @Test("a chunked body gets 413 as soon as it passes maxBodyBytes")
    func chunkedTooLarge() async throws {
        let chunk = String(repeating: "x", count: 1000)
        let chunks = String(repeating: "3e8\r\n\(chunk)\r\n", count: 5)
        try await expectRefusal(
            "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n\(chunks)", status: 413,
            code: "payload_too_large", configure: { $0.maxBodyBytes = 4096 })
    }

    @Test("HTTP versions other than 1.0 and 1.1 get 505")
    func unsupportedVersion() async throws {
        try await expectRefusal("GET /hello HTTP/2.0\r\nHost: t\r\n\r\n", status: 505, code: "http_version_not_supported")
    }

    @Test(
        "malformed requests get 400 and the connection is closed",
        arguments: [
            "GET /hello\r\nHost: t\r\n\r\n",
            "GET  /hello HTTP/1.1\r\nHost: t\r\n\r\n",
            "G(T /hello HTTP/1.1\r\nHost: t\r\n\r\n",
            "GET /hel lo HTTP/1.1\r\nHost: t\r\n\r\n",
            "GET /hello HTTP/x.1\r\nHost: t\r\n\r\n",
            "GET hello HTTP/1.1\r\nHost: t\r\n\r\n",
            "GET * HTTP/1.1\r\nHost: t\r\n\r\n",
            "GET /hello HTTP/1.1\r\nHost: t\r\nNo-Colon\r\n\r\n",
            "GET /hello HTTP/1.1\r\nHost: t\r\nBad Name: x\r\n\r\n",
            "GET /hello HTTP/1.1\r\nHost: t\r\nX: a\u{01}b\r\n\r\n",
            "GET /hello HTTP/1.1\r\nHost: t\r\nX: a\rb\r\n\r\n",
            "GET /hello HTTP/1.1\r\n\r\n",
            "GET /hello HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 12abc\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
            "POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        ])
    func malformed(_ request: String) async throws {
        try await expectRefusal(request, status: 400, code: "bad_request")
    }

    @Test(
        "request-smuggling shapes get 400 and the connection is closed",
        arguments: [
            // Content-Length and Transfer-Encoding together.
            "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            // Duplicate Content-Length with different values, as two fields and as a list.
            "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
            "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3, 4\r\n\r\nabcd",
            // Obsolete line folding.
            "GET /hello HTTP/1.1\r\nHost: t\r\nX-Folded: a\r\n  b\r\n\r\n",
            // Whitespace between a field name and its colon.
            "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n",
            // Chunk sizes: not hex, overflowing, missing CRLF after the data.
            "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n1ffffffffffffffff\r\na\r\n0\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcdef\r\n0\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n-3\r\nabc\r\n0\r\n\r\n",
        ])
    func smuggling(_ request: String) async throws {
        try await expectRefusal(request, status: 400, code: "bad_request")
    }

    @Test("identical duplicate Content-Length values are accepted")
    func identicalContentLengths() async throws {
        try await withServer(basicRouter()) { server in
            let client = try RawClient.connect(port: server.port)
            try await client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc")
            #expect(try await client.readResponse().text == "abc")
        }
    }

    @Test("an oversized request on one connection does not disturb another")
    func oneConnectionsFailureIsIsolated() async throws {
        try await withServer(basicRouter(), configure: { $0.maxHeaderBytes = 2048 }) { server in
            let healthy = try RawClient.connect(port: server.port)
            try await healthy.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await healthy.readResponse().status == 200)
            let abusive = try RawClient.connect(port: server.port)
            try await abusive.send("GET /hello HTTP/1.1\r\nHost: t\r\nX: " + String(repeating: "a", count: 100_000))
            #expect(try await abusive.readResponse().status == 431)
            try await healthy.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await healthy.readResponse().status == 200)
        }
    }
}
