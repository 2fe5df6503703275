import Logging
import SpoolTestSupport
import Synchronization
import Testing
@testable import SpoolHTTP

/// Keeps log records in memory so a test can read what the server logged.
final class CapturedLogs: Sendable {
    struct Record: Sendable {
        let level: Logger.Level
        let message: String
        let metadata: [String: String]
    }

    private let records = Mutex<[Record]>([])

    var all: [Record] { records.withLock { $0 } }

    func append(_ record: Record) { records.withLock { $0.append(record) } }

    func logger(level: Logger.Level = .info) -> Logger {
        var logger = Logger(label: "spool.http.test") { _ in Handler(sink: self) }
        logger.logLevel = level
        return logger
    }

    private struct Handler: LogHandler {
        let sink: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            sink.append(Record(
                level: event.level, message: "\(event.message)",
                metadata: (event.metadata ?? [:]).mapValues { "\($0)" }))
        }
    }
}

@Suite("Access log and observer")
struct ObservabilityTests {
    @Test("each finished request is logged once at info with method, path, status, duration_ms and request_id")
    func accessLog() async throws {
        let logs = CapturedLogs()
        let records = Collected<HTTPRequestRecord>()
        try await withServer(basicRouter(), logger: logs.logger(), observer: { records.append($0) }) { server in
            let client = try RawClient.connect(port: server.port)
            try await client.send("GET /items/42?x=1 HTTP/1.1\r\nHost: t\r\nX-Request-Id: trace-1\r\n\r\n")
            _ = try await client.readResponse()
            try await client.send("GET /missing HTTP/1.1\r\nHost: t\r\n\r\n")
            _ = try await client.readResponse()
        }
        let lines = logs.all.filter { $0.message == "request" }
        #expect(lines.count == 2)
        let first = try #require(lines.first)
        #expect(first.level == .info)
        #expect(first.metadata["method"] == "GET")
        #expect(first.metadata["path"] == "/items/42")
        #expect(first.metadata["status"] == "200")
        #expect(first.metadata["request_id"] == "trace-1")
        #expect(Double(first.metadata["duration_ms"] ?? "") != nil)

        #expect(records.count == 2)
        let record = try #require(records.all.first)
        #expect(record.routePattern == "/items/{id}")
        #expect(record.status == 200)
        #expect(record.requestID == "trace-1")
        #expect(record.remoteAddress.hasPrefix("127.0.0.1:"))
        #expect(record.bytesSent > "item 42".utf8.count)
        #expect(record.durationSeconds >= 0)
        #expect(records.all.last?.status == 404)
        #expect(records.all.last?.routePattern == nil)
    }

    @Test("a handler's unexpected error is logged at error level with the request id")
    func handlerFailureLogged() async throws {
        struct Broken: Error {}
        let logs = CapturedLogs()
        var router = Router()
        router.get("/broken", .async { _ in throw Broken() })
        try await withServer(router, logger: logs.logger()) { server in
            let client = try RawClient.connect(port: server.port)
            try await client.send("GET /broken HTTP/1.1\r\nHost: t\r\nX-Request-Id: r-9\r\n\r\n")
            #expect(try await client.readResponse().status == 500)
        }
        let failure = try #require(logs.all.first { $0.level == .error })
        #expect(failure.metadata["request_id"] == "r-9")
        #expect(failure.metadata["error"]?.contains("Broken") == true)
    }

    @Test("a refused request is logged and observed too")
    func refusedRequestRecorded() async throws {
        let records = Collected<HTTPRequestRecord>()
        try await withServer(basicRouter(), observer: { records.append($0) }) { server in
            let client = try RawClient.connect(port: server.port)
            try await client.send("GET /hello HTTP/9.9\r\nHost: t\r\n\r\n")
            #expect(try await client.readResponse().status == 505)
            try await eventually("the refusal was recorded") { records.count == 1 }
        }
        #expect(records.all.first?.status == 505)
        #expect(records.all.first?.method == HTTPMethod("GET"))
    }
}
