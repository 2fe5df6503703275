import SpoolJSON
import SpoolTestSupport
import Testing
@testable import SpoolHTTP

@Suite("Requests and responses")
struct RoundTripTests {
    @Test("a GET is answered with the handler's body, Content-Length, Date and a request id")
    func getRoundTrip() async throws {
        try await withServer(basicRouter()) { server in
            let client = try RawClient.connect(port: server.port)
            try await client.send("GET /hello HTTP/1.1\r\nHost: test\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 200)
            #expect(response.text == "hello")
            #expect(response.header("Content-Length") == "5")
            #expect(response.header("Content-Type") == "text/plain; charset=utf-8")
            #expect(response.header("Date")?.hasSuffix(" GMT") == true)
            #expect(response.header("X-Request-Id")?.count == RequestIDGenerator.generatedLength)
            #expect(response.header("Connection") == nil)
        }
    }

    @Test("a POST body reaches the handler whole")
    func postRoundTrip() async throws {
        try await withServer(basicRouter()) { server in
            let client = try RawClient.connect(port: server.port)
            let body = String(repeating: "0123456789", count: 10_000)
            try await client.send("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
            let response = try await client.readResponse()
            #expect(response.status == 200)
            #expect(response.text == body)
        }
    }

    @Test("several requests share one keep-alive connection")
    func keepAlive() async throws {
        try await withServer(basicRouter()) { server in
            let client = try RawClient.connect(port: server.port)
            for index in 0..<5 {
                try await client.send("GET /items/\(index) HTTP/1.1\r\nHost: test\r\n\r\n")
                let response = try await client.readResponse()
                #expect(response.status == 200)
                #expect(response.text == "item \(index)")
            }
            try await client.send("GET /async HTTP/1.1\r\nHost: test\r\n\r\n")
            #expect(try await client.readResponse().text == "async /async")
        }
    }

    @Test("three pipelined requests in one write are answered in order, async handlers included")
    func pipelining() async throws {
        try await withServer(basicRouter()) { server in
            let client = try RawClient.connect(port: server.port)
            try await client.send(
                "GET /items/1 HTTP/1.1\r\nHost: test\r\n\r\n"
                    + "GET /async HTTP/1.1\r\nHost: test\r\n\r\n"
                    + "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 3\r\n\r\nabc")
            #expect(try await client.readResponse().text == "item 1")
            #expect(try await client.readResponse().text == "async /async")
            #expect(try await client.readResponse().text == "abc")
        }
    }

    @Test("HEAD gets GET's headers, Content-Length included, and no body")
    func head() async throws {
        try await withServer(basicRouter()) { server in
            let client = try RawClient.connect(port: server.port)
            try await client.send("HEAD /hello HTTP/1.1\r\nHost: test\r\n\r\nGET /items/7 HTTP/1.1\r\nHost: test\r\n\r\n")
            let head = try await client.readResponse(forHead: true)
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == "5")
            // The next response follows at once: nothing of the HEAD's body was sent.
            #expect(try await client.readResponse().text == "item 7")
        }
    }

    @Test("HTTP/1.0 closes after the response unless keep-alive is asked for")
    func http10() async throws {
        try await withServer(basicRouter()) { server in
            let closing = try RawClient.connect(port: server.port)
            try await closing.send("GET /hello HTTP/1.0\r\n\r\n")
            let first = try await closing.readResponse()
            #expect(first.status == 200)
            #expect(first.header("Connection") == "close")
            #expect(await closing.waitForClose())

            let keeping = try RawClient.connect(port: server.port)
            try await keeping.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(try await keeping.readResponse().header("Connection") == "keep-alive")
            try await keeping.send("GET /items/2 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(try await keeping.readResponse().text == "item 2")
        }
    }

    @Test("Connection: close from the client is honoured")
    func clientClose() async throws {
        try await withServer(basicRouter()) { server in
            let client = try RawClient.connect(port: server.port)
            try await client.send("GET /hello HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
            #expect(try await client.readResponse().header("Connection") == "close")
            #expect(await client.waitForClose())
        }
    }

    @Test("unknown paths get 404 and known paths with the wrong method 405 with Allow, in the error shape")
    func notFoundAndMethodNotAllowed() async throws {
        try await withServer(basicRouter()) { server in
            let client = try RawClient.connect(port: server.port)
            try await client.send("GET /nowhere HTTP/1.1\r\nHost: test\r\n\r\n")
            let missing = try await client.readResponse()
            #expect(missing.status == 404)
            let missingBody = try JSONValue(parsing: missing.body)
            #expect(missingBody["error"]?["code"] == "not_found")
            #expect(missingBody["error"]?["message"]?.stringValue?.isEmpty == false)

            try await client.send("DELETE /hello HTTP/1.1\r\nHost: test\r\n\r\n")
            let wrongMethod = try await client.readResponse()
            #expect(wrongMethod.status == 405)
            #expect(wrongMethod.header("Allow") == "GET, HEAD")
            #expect(try JSONValue(parsing: wrongMethod.body)["error"]?["code"] == "method_not_allowed")
        }
    }

    @Test("a sane X-Request-Id is echoed; an unsafe one is replaced by a generated id")
    func requestIDs() async throws {
        let seen = Collected<String>()
        var router = Router()
        router.get("/id", .immediate { request in
            seen.append(request.requestID)
            return HTTPResponse.text(request.requestID)
        })
        try await withServer(router) { server in
            let client = try RawClient.connect(port: server.port)
            try await client.send("GET /id HTTP/1.1\r\nHost: t\r\nX-Request-Id: abc-123_X.y\r\n\r\n")
            let echoed = try await client.readResponse()
            #expect(echoed.header("X-Request-Id") == "abc-123_X.y")
            #expect(echoed.text == "abc-123_X.y")

            try await client.send("GET /id HTTP/1.1\r\nHost: t\r\nX-Request-Id: <script>\r\n\r\n")
            let replaced = try await client.readResponse()
            let generated = try #require(replaced.header("X-Request-Id"))
            #expect(generated != "<script>")
            #expect(generated.count == RequestIDGenerator.generatedLength)
            #expect(RequestIDGenerator.sane(generated) == generated)
            #expect(seen.all == ["abc-123_X.y", generated])
        }
    }

    @Test("a thrown HTTPError answers as itself; any other error answers 500 internal_error")
    func handlerErrors() async throws {
        struct Broken: Error {}
        var router = Router()
        router.get("/teapot", .immediate { _ in throw HTTPError(HTTPStatus(code: 418), code: "teapot", message: "No.") })
        router.get("/broken", .immediate { _ in throw Broken() })
        router.get("/broken-async", .async { _ in throw Broken() })
        try await withServer(router, logger: CapturedLogs().logger()) { server in
            let client = try RawClient.connect(port: server.port)
            try await client.send("GET /teapot HTTP/1.1\r\nHost: t\r\n\r\n")
            let teapot = try await client.readResponse()
            #expect(teapot.status == 418)
            #expect(try JSONValue(parsing: teapot.body)["error"]?["code"] == "teapot")
            for path in ["/broken", "/broken-async"] {
                try await client.send("GET \(path) HTTP/1.1\r\nHost: t\r\n\r\n")
                let failed = try await client.readResponse()
                #expect(failed.status == 500)
                #expect(try JSONValue(parsing: failed.body)["error"]?["code"] == "internal_error")
            }
        }
    }

    @Test("an error that stands for an HTTPError answers as the error it stands for, from quick and async handlers")
    func convertibleErrors() async throws {
        struct Refusal: HTTPErrorConvertible {
            var httpError: HTTPError {
                HTTPError(.conflict, code: "refused", message: "Not now.", headers: ["Retry-After": "7"])
            }
        }
        var router = Router()
        router.get("/refused", .immediate { _ in throw Refusal() })
        router.get("/refused-async", .async { _ in throw Refusal() })
        try await withServer(router) { server in
            let client = try RawClient.connect(port: server.port)
            for path in ["/refused", "/refused-async"] {
                try await client.send("GET \(path) HTTP/1.1\r\nHost: t\r\n\r\n")
                let refused = try await client.readResponse()
                #expect(refused.status == 409, "\(path)")
                #expect(refused.header("Retry-After") == "7", "\(path)")
                #expect(try JSONValue(parsing: refused.body)["error"]?["code"] == "refused", "\(path)")
            }
        }
    }

    @Test("204 has neither body nor Content-Length; the server's framing headers replace a handler's")
    func bodylessAndServerOwnedHeaders() async throws {
        var router = Router()
        router.delete("/thing", .immediate { _ in HTTPResponse(status: .noContent, body: .bytes(Array("ignored".utf8))) })
        router.get("/sneaky", .immediate { _ in
            HTTPResponse(
                headers: ["Content-Length": "999", "Connection": "close", "X-Evil": "a\r\nSet-Cookie: x=1", "X-Fine": "yes"],
                body: .bytes(Array("ok".utf8)))
        })
        try await withServer(router) { server in
            let client = try RawClient.connect(port: server.port)
            try await client.send("DELETE /thing HTTP/1.1\r\nHost: t\r\n\r\nGET /sneaky HTTP/1.1\r\nHost: t\r\n\r\n")
            let deleted = try await client.readResponse()
            #expect(deleted.status == 204)
            #expect(deleted.header("Content-Length") == nil)
            let sneaky = try await client.readResponse()
            #expect(sneaky.text == "ok")
            #expect(sneaky.header("Content-Length") == "2")
            #expect(sneaky.header("Connection") == nil)
            #expect(sneaky.header("X-Evil") == nil)
            #expect(sneaky.header("Set-Cookie") == nil)
            #expect(sneaky.header("X-Fine") == "yes")
        }
    }

    @Test("an absolute-form target is routed by its path and query")
    func absoluteForm() async throws {
        var router = Router()
        router.get("/where", .immediate { request in HTTPResponse.text("\(request.path)|\(request.query ?? "-")") })
        try await withServer(router) { server in
            let client = try RawClient.connect(port: server.port)
            try await client.send("GET http://example.test:8080/where?x=1 HTTP/1.1\r\nHost: example.test\r\n\r\n")
            #expect(try await client.readResponse().text == "/where|x=1")
        }
    }
}
