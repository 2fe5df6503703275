import Testing
@testable import SpoolFal

@Suite("Server-sent events")
struct ServerSentEventParserTests {
    @Test("events split anywhere, CRLF torn between chunks, comments skipped, data lines joined")
    func splitting() {
        var parser = ServerSentEventParser()
        var events: [String] = []
        let text = ": keep-alive\r\ndata: {\"a\":1}\r\n\r\nevent: x\ndata: line one\ndata:line two\n\ndata: last\r\r"
        for byte in Array(text.utf8) { events += parser.feed([byte]) }
        #expect(events == [#"{"a":1}"#, "line one\nline two", "last"])
        #expect(parser.finish().isEmpty)
    }

    @Test("an event cut off by the end of the body is still delivered")
    func unterminated() {
        var parser = ServerSentEventParser()
        #expect(parser.feed(Array("data: {\"status\":\"COMPLETED\"}".utf8)).isEmpty)
        #expect(parser.finish() == [#"{"status":"COMPLETED"}"#])
    }

    @Test("a blank line without data is no event")
    func emptyEvents() {
        var parser = ServerSentEventParser()
        #expect(parser.feed(Array("\n\n:comment\n\nid: 3\n\n".utf8)).isEmpty)
    }
}
