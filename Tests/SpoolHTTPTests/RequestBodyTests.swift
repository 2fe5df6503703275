import SpoolTestSupport
import Testing
@testable import SpoolHTTP

@Suite("Request bodies")
struct RequestBodyTests {
    @Test("a chunked body with extensions and trailers arrives joined, and the connection stays usable")
    func chunkedBody() async throws {
        try await withServer(basicRouter()) { server in
            let client = try RawClient.connect(port: server.port)
            try await client.send(
                "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5;name=value\r\nhello\r\n"
                    + "1 ; quoted=\"x\"\r\n,\r\n"
                    + "6\r\n world\r\n"
                    + "0\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 200)
            #expect(response.text == "hello, world")
            try await client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await client.readResponse().text == "hello")
        }
    }

    @Test("a chunked body sent in pieces across many writes is reassembled")
    func chunkedBodyInPieces() async throws {
        try await withServer(basicRouter()) { server in
            let client = try RawClient.connect(port: server.port)
            let message = "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "a\r\n0123456789\r\n" + "3\r\nabc\r\n" + "0\r\n\r\n"
            // Three bytes a write splits every size line, extension and CRLF somewhere, in about 30 writes (a byte a
            // write took long enough on a loaded machine to meet the 10 s header deadline).
            let bytes = Array(message.utf8)
            for start in stride(from: 0, to: bytes.count, by: 3) {
                try await client.send(Array(bytes[start..<min(start + 3, bytes.count)]))
            }
            #expect(try await client.readResponse().text == "0123456789abc")
        }
    }

    @Test("Expect: 100-continue gets 100 Continue before the body is sent, then the answer")
    func expectContinue() async throws {
        try await withServer(basicRouter()) { server in
            let client = try RawClient.connect(port: server.port)
            try await client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
            let interim = try await client.readResponse()
            #expect(interim.status == 100)
            try await client.send("body")
            let response = try await client.readResponse()
            #expect(response.status == 200)
            #expect(response.text == "body")
        }
    }

    @Test("Expect: 100-continue with a body over the limit gets 413 at once, without 100")
    func expectContinueTooLarge() async throws {
        try await withServer(basicRouter(), configure: { $0.maxBodyBytes = 1000 }) { server in
            let client = try RawClient.connect(port: server.port)
            try await client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1001\r\nExpect: 100-continue\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 413)
            #expect(response.header("Connection") == "close")
            #expect(await client.waitForClose())
        }
    }

    @Test("a request without a body, or with Content-Length: 0, reaches the handler with an empty body")
    func emptyBodies() async throws {
        try await withServer(basicRouter()) { server in
            let client = try RawClient.connect(port: server.port)
            try await client.send("POST /echo HTTP/1.1\r\nHost: t\r\n\r\nPOST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n")
            for _ in 0..<2 {
                let response = try await client.readResponse()
                #expect(response.status == 200)
                #expect(response.body.isEmpty)
            }
        }
    }
}
