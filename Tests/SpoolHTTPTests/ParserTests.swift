import SpoolTestSupport
import Testing
@testable import SpoolHTTP

@Suite("Request parser")
struct ParserTests {
    private let limits: RequestParser.Limits = {
        var configuration = HTTPServerConfiguration()
        configuration.maxBodyBytes = 1000
        return RequestParser.Limits(configuration)
    }()

    /// What parsing one whole request produced: its head and body, or the error.
    private enum Outcome {
        case request(RequestHead, [UInt8], consumed: Int)
        case failure(RequestParseError)
        case incomplete
    }

    /// Feeds `text` to a fresh parser, `pieceSize` bytes at a time (as a connection would: unconsumed bytes are
    /// offered again with the next piece), until one request is complete or fails.
    private func parse(_ text: String, pieceSize: Int = .max) -> Outcome {
        var parser = RequestParser(limits: limits)
        let bytes = Array(text.utf8)
        var buffered: [UInt8] = []
        var offered = 0, consumedTotal = 0
        var head: RequestHead?
        while true {
            let event: RequestParser.Event
            let consumed: Int
            (consumed, event) = buffered.withUnsafeBufferPointer { parser.parse($0) }
            buffered.removeFirst(consumed)
            consumedTotal += consumed
            switch event {
            case .head(let parsed): head = parsed
            case .end(let body): return head.map { .request($0, body, consumed: consumedTotal) } ?? .incomplete
            case .failure(let error): return .failure(error)
            case .needMoreData:
                guard offered < bytes.count else { return .incomplete }
                let next = min(bytes.count, offered + min(pieceSize, bytes.count))
                buffered += bytes[offered..<next]
                offered = next
            }
        }
    }

    private func head(_ text: String) throws -> RequestHead {
        guard case .request(let head, _, _) = parse(text) else {
            Issue.record("expected a request from \(text.debugDescription)")
            throw TestFailure("no request")
        }
        return head
    }

    private func failure(_ text: String) -> RequestParseError? {
        if case .failure(let error) = parse(text) { return error }
        return nil
    }

    @Test("header names match case-insensitively and keep the case they were sent in")
    func caseInsensitiveNames() throws {
        let parsed = try head("GET / HTTP/1.1\r\nhOsT: a\r\nX-Custom-THING: 1\r\n\r\n")
        #expect(parsed.headers["host"] == "a")
        #expect(parsed.headers["x-custom-thing"] == "1")
        #expect(parsed.headers.fields.map(\.name) == ["hOsT", "X-Custom-THING"])
    }

    @Test("optional whitespace around a value is dropped, inner whitespace kept, empty values allowed")
    func optionalWhitespace() throws {
        let parsed = try head("GET / HTTP/1.1\r\nHost:a\r\nX-A: \t spaced  value \t\r\nX-Empty:\r\n\r\n")
        #expect(parsed.headers["Host"] == "a")
        #expect(parsed.headers["X-A"] == "spaced  value")
        #expect(parsed.headers["X-Empty"] == "")
    }

    @Test("duplicate header fields are all kept, in order")
    func duplicates() throws {
        let parsed = try head("GET / HTTP/1.1\r\nHost: a\r\nAccept: x\r\nAccept: y\r\n\r\n")
        #expect(parsed.headers.values("accept") == ["x", "y"])
    }

    @Test("a request without Content-Length or Transfer-Encoding has an empty body")
    func emptyBody() {
        guard case .request(let head, let body, let consumed) = parse("DELETE /x HTTP/1.1\r\nHost: a\r\n\r\nEXTRA") else {
            Issue.record("no request")
            return
        }
        #expect(head.method == .delete)
        #expect(body.isEmpty)
        #expect(consumed == "DELETE /x HTTP/1.1\r\nHost: a\r\n\r\n".utf8.count)
    }

    @Test("HTTP/1.0 is parsed as version (1, 0) and needs no Host")
    func http10() throws {
        let parsed = try head("GET /old HTTP/1.0\r\n\r\n")
        #expect(parsed.version == (1, 0))
        #expect(parsed.isHTTP10)
    }

    @Test("an absolute-form target yields its path and query; `*` is accepted for OPTIONS only")
    func targetForms() throws {
        let absolute = try head("GET HTTP://Example.test:81/a/b?c=d HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(absolute.absoluteForm?.path == "/a/b")
        #expect(absolute.absoluteForm?.query == "c=d")
        #expect(try head("GET http://example.test HTTP/1.1\r\nHost: x\r\n\r\n").absoluteForm?.path == "/")
        #expect(try head("GET http://example.test?q HTTP/1.1\r\nHost: x\r\n\r\n").absoluteForm?.query == "q")
        let asterisk = try head("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(asterisk.target == "*")
        #expect(asterisk.absoluteForm == nil)
        #expect(failure("GET * HTTP/1.1\r\nHost: x\r\n\r\n")?.kind == .badRequest)
        #expect(failure("GET ftp://x/ HTTP/1.1\r\nHost: x\r\n\r\n")?.kind == .badRequest)
    }

    @Test("bare LF line endings are accepted throughout, chunked body included")
    func bareLineFeeds() {
        guard case .request(let head, let body, _) = parse(
            "POST /x HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n\n3\nabc\n0\nX-T: 1\n\n")
        else {
            Issue.record("no request")
            return
        }
        #expect(head.headers["Host"] == "a")
        #expect(body == Array("abc".utf8))
    }

    @Test("feeding one byte at a time gives the same request as feeding it whole")
    func byteAtATime() {
        let text = "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nWiki\r\n5\r\npedia\r\n0\r\nT: v\r\n\r\n"
        guard case .request(let whole, let wholeBody, _) = parse(text),
            case .request(let trickled, let trickledBody, _) = parse(text, pieceSize: 1)
        else {
            Issue.record("no request")
            return
        }
        #expect(wholeBody == Array("Wikipedia".utf8))
        #expect(trickledBody == wholeBody)
        #expect(trickled.headers == whole.headers)
    }

    @Test("leading empty lines before a request line are skipped")
    func leadingEmptyLines() throws {
        #expect(try head("\r\n\r\nGET /x HTTP/1.1\r\nHost: a\r\n\r\n").target == "/x")
    }

    @Test("limits: 414 for a long request line, 431 for a large or crowded header section, 413 for a large body")
    func limitChecks() {
        var configuration = HTTPServerConfiguration()
        configuration.maxRequestLineLength = 20
        configuration.maxHeaderBytes = 60
        configuration.maxHeaderCount = 2
        configuration.maxBodyBytes = 10
        func kind(_ text: String) -> RequestParseError.Kind? {
            var parser = RequestParser(limits: RequestParser.Limits(configuration))
            let bytes = Array(text.utf8)
            var offset = 0
            while true {
                let (consumed, event) = bytes[offset...].withUnsafeBufferPointer { parser.parse($0) }
                offset += consumed
                switch event {
                case .failure(let error): return error.kind
                case .head: continue
                default: return nil
                }
            }
        }
        #expect(kind("GET /0123456789012345 HTTP/1.1\r\n") == .uriTooLong)
        #expect(kind("GET /0123456789012345678") == .uriTooLong)
        #expect(kind("GET / HTTP/1.1\r\nHost: a\r\nX: 01234567890123456789012345678901234567890123456789\r\n\r\n") == .headerFieldsTooLarge)
        #expect(kind("GET / HTTP/1.1\r\nHost: a\r\nX: 0123456789012345678901234567890123456789012345678901234") == .headerFieldsTooLarge)
        #expect(kind("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n") == .headerFieldsTooLarge)
        #expect(kind("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n") == .payloadTooLarge)
        #expect(kind("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n") == .payloadTooLarge)
        #expect(kind("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n8\r\n") == .payloadTooLarge)
    }

    @Test("versions: 1.0 and 1.1 parse, other HTTP versions are 505, anything else 400")
    func versions() {
        #expect(failure("GET / HTTP/2.0\r\nHost: a\r\n\r\n")?.kind == .versionNotSupported)
        #expect(failure("GET / HTTP/3\r\nHost: a\r\n\r\n")?.kind == .versionNotSupported)
        #expect(failure("GET / HTTP/0.9\r\nHost: a\r\n\r\n")?.kind == .versionNotSupported)
        #expect(failure("GET / http/1.1\r\nHost: a\r\n\r\n")?.kind == .badRequest)
        #expect(failure("GET / HTTP/1.1x\r\nHost: a\r\n\r\n")?.kind == .badRequest)
    }

    @Test("Expect: 100-continue is reported only when a body follows; other expectations get 417")
    func expectations() throws {
        #expect(try head("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nExpect: 100-Continue\r\n\r\nx").expectsContinue)
        #expect(try head("GET / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n").expectsContinue == false)
        #expect(try head("POST / HTTP/1.0\r\nContent-Length: 1\r\nExpect: 100-continue\r\n\r\nx").expectsContinue == false)
        #expect(failure("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nExpect: magic\r\n\r\nx")?.kind == .expectationFailed)
    }

    @Test("two pipelined requests in one buffer are parsed one after the other")
    func pipelined() {
        var parser = RequestParser(limits: limits)
        let bytes = Array("GET /a HTTP/1.1\r\nHost: a\r\n\r\nPOST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi".utf8)
        var offset = 0
        var targets: [String] = [], bodies: [[UInt8]] = []
        while offset < bytes.count || parser.phase == .complete {
            let (consumed, event) = bytes[offset...].withUnsafeBufferPointer { parser.parse($0) }
            offset += consumed
            switch event {
            case .head(let head): targets.append(head.target)
            case .end(let body): bodies.append(body)
            default: Issue.record("unexpected \(event)")
            }
            if case .needMoreData = event { break }
        }
        #expect(targets == ["/a", "/b"])
        #expect(bodies == [[], Array("hi".utf8)])
    }
}
