import Foundation
import Logging
import SpoolJSON
import SpoolTestSupport
import Testing
@testable import SpoolHTTP

/// A temporary file that a `BufferedLineWriter` writes to, read back by the test.
final class LogFile: Sendable {
    let path: String
    let descriptor: Int32

    init() {
        path = NSTemporaryDirectory() + "spool-access-\(UUID().uuidString).log"
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    }

    deinit {
        close(descriptor)
        unlink(path)
    }

    var lines: [String] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }
}

@Suite("Access lines written as bytes through the buffered writer")
struct AccessLogTests {
    private func infoLogger() -> Logger {
        var logger = Logger(label: "spool.http.test")
        logger.logLevel = .info
        return logger
    }

    /// Sends `count` requests to `/hello` on one connection, with request ids `r-0`, `r-1`…
    private func sendRequests(_ count: Int, to server: HTTPServer) async throws {
        let client = try RawClient.connect(port: server.port)
        for index in 0..<count {
            try await client.send("GET /hello?x=1 HTTP/1.1\r\nHost: t\r\nX-Request-Id: r-\(index)\r\n\r\n")
            #expect(try await client.readResponse().status == 200)
        }
    }

    @Test("a text line has the log handler's shape: timestamp, info, logger, `request` and the sorted fields")
    func textLine() async throws {
        let file = LogFile()
        let writer = BufferedLineWriter(descriptor: file.descriptor)
        let log = AccessLog(format: .text, sampling: .all, label: "spool.http", writer: writer)
        try await withServer(basicRouter(), logger: infoLogger(), accessLog: log) { server in
            try await sendRequests(2, to: server)
        }
        writer.flush()
        let lines = file.lines
        #expect(lines.count == 2)
        let line = try #require(lines.first)
        let pattern = #/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info spool\.http: request duration_ms=(\d+\.\d+) method=GET path=/hello request_id=r-0 status=200$/#
        let match = try #require(line.wholeMatch(of: pattern), "\(line)")
        #expect(Double(match.1) != nil)
        #expect(lines.last?.hasSuffix("request_id=r-1 status=200") == true)
    }

    @Test("a JSON line parses, with ts, level, logger, msg and every field as a string")
    func jsonLine() async throws {
        let file = LogFile()
        let writer = BufferedLineWriter(descriptor: file.descriptor)
        let log = AccessLog(format: .json, sampling: .all, label: "spool.http", writer: writer)
        try await withServer(basicRouter(), logger: infoLogger(), accessLog: log) { server in
            try await sendRequests(1, to: server)
        }
        writer.flush()
        let line = try #require(file.lines.first)
        let object = try JSONValue(parsing: Array(line.utf8))
        #expect(object["level"]?.stringValue == "info")
        #expect(object["logger"]?.stringValue == "spool.http")
        #expect(object["msg"]?.stringValue == "request")
        #expect(object["method"]?.stringValue == "GET")
        #expect(object["path"]?.stringValue == "/hello")
        #expect(object["status"]?.stringValue == "200")
        #expect(object["request_id"]?.stringValue == "r-0")
        #expect(Double(object["duration_ms"]?.stringValue ?? "") != nil)
        #expect(object["ts"]?.stringValue?.count == "2026-11-25T09:00:00.123Z".count)
    }

    @Test("sample:3 writes the first request's line and then every third; off writes none; the observer sees all")
    func sampling() async throws {
        let file = LogFile()
        let writer = BufferedLineWriter(descriptor: file.descriptor)
        let sampled = AccessLog(format: .text, sampling: try #require(.init(setting: "sample:3")), label: "t", writer: writer)
        try await withServer(basicRouter(), logger: infoLogger(), accessLog: sampled, configure: { $0.eventLoopCount = 1 }) {
            try await sendRequests(7, to: $0)
        }
        writer.flush()
        #expect(file.lines.map { $0.contains("request_id=r-0 ") || $0.contains("request_id=r-3 ") || $0.contains("request_id=r-6 ") }
            == [true, true, true])

        let silentFile = LogFile()
        let silentWriter = BufferedLineWriter(descriptor: silentFile.descriptor)
        let off = AccessLog(format: .text, sampling: try #require(.init(setting: "off")), label: "t", writer: silentWriter)
        let records = Collected<HTTPRequestRecord>()
        try await withServer(basicRouter(), logger: infoLogger(), accessLog: off, observer: { records.append($0) }) {
            try await sendRequests(4, to: $0)
            try await eventually("every request was observed") { records.count == 4 }
        }
        silentWriter.flush()
        #expect(silentFile.lines.isEmpty)
    }

    @Test("the setting accepts all, off and sample:N with N ≥ 1, nothing else")
    func samplingSetting() {
        #expect(AccessLog.Sampling(setting: "all") == .all)
        #expect(AccessLog.Sampling(setting: "off") == .off)
        #expect(AccessLog.Sampling(setting: "sample:10") == .oneIn(10))
        #expect(AccessLog.Sampling(setting: "sample:1") == .all)
        for wrong in ["sample:0", "sample:", "sample:x", "some", ""] { #expect(AccessLog.Sampling(setting: wrong) == nil) }
    }

    @Test("the writer's own thread writes appended lines without anyone flushing")
    func writesInTheBackground() async throws {
        let file = LogFile()
        let writer = BufferedLineWriter(descriptor: file.descriptor)
        writer.append(Array("one\n".utf8))
        writer.append(Array("two\n".utf8))
        try await eventually("the lines reached the file") { file.lines == ["one", "two"] }
    }

    @Test("writeNow writes the lines buffered before it, in order, before it returns")
    func writeNowKeepsOrder() {
        let file = LogFile()
        let writer = BufferedLineWriter(descriptor: file.descriptor)
        writer.append(Array("access\n".utf8))
        writer.writeNow(Array("warning\n".utf8))
        #expect(file.lines == ["access", "warning"])
    }

    @Test("at warning level the server writes no access line")
    func levelAboveInfo() async throws {
        let file = LogFile()
        let writer = BufferedLineWriter(descriptor: file.descriptor)
        let log = AccessLog(format: .text, sampling: .all, label: "t", writer: writer)
        try await withServer(basicRouter(), accessLog: log) { try await sendRequests(2, to: $0) }
        writer.flush()
        #expect(file.lines.isEmpty)
    }
}
