import SpoolTestSupport
import Synchronization
import Testing
@testable import SpoolHTTP

@Suite("Streamed responses")
struct StreamingTests {
    @Test("a streamed body arrives chunk by chunk as it is written, then the connection is reused")
    func chunksArriveAsWritten() async throws {
        let gate = Gate()
        var router = Router()
        router.get("/events", .immediate { _ in
            HTTPResponse(headers: ["Content-Type": "text/event-stream"], body: .stream { writer in
                try await writer.write(Array("data: one\n\n".utf8))
                await gate.wait()
                try await writer.write(Array("data: two\n\n".utf8))
            })
        })
        router.get("/hello", .immediate { _ in HTTPResponse.text("hello") })
        try await withServer(router) { server in
            let client = try RawClient.connect(port: server.port)
            try await client.send("GET /events HTTP/1.1\r\nHost: t\r\n\r\n")
            let head = try await client.readHead()
            #expect(head.status == 200)
            #expect(head.header("Transfer-Encoding") == "chunked")
            #expect(head.header("Content-Type") == "text/event-stream")
            // The first chunk comes while the producer is still waiting: it is not buffered to the end.
            #expect(try await client.readChunk() == Array("data: one\n\n".utf8))
            gate.open()
            #expect(try await client.readChunk() == Array("data: two\n\n".utf8))
            #expect(try await client.readChunk() == nil)
            try await client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await client.readResponse().text == "hello")
        }
    }

    @Test("a client that disconnects while the stream is idle is noticed at once; the next write throws closed")
    func disconnectEndsStream() async throws {
        let outcome = Mutex<String?>(nil)
        let started = Gate(), resume = Gate()
        let records = Collected<HTTPRequestRecord>()
        var router = Router()
        router.get("/events", .async { _ in
            HTTPResponse(body: .stream { writer in
                do {
                    try await writer.write(Array(": hello\n\n".utf8))
                    started.open()
                    await resume.wait()
                    try await writer.write(Array(": still there?\n\n".utf8))
                    outcome.withLock { $0 = "written" }
                } catch HTTPBodyWriterError.closed {
                    outcome.withLock { $0 = "closed" }
                } catch {
                    outcome.withLock { $0 = "other: \(error)" }
                }
            })
        })
        try await withServer(router, observer: { records.append($0) }) { server in
            let client = try RawClient.connect(port: server.port)
            try await client.send("GET /events HTTP/1.1\r\nHost: t\r\n\r\n")
            _ = try await client.readHead()
            await started.wait()
            client.shutdownWrite()
            // The stream's record is written when the server closes the connection, with the producer still waiting.
            try await eventually("the server noticed the disconnect") { records.count == 1 }
            resume.open()
            try await eventually("the producer finished") { outcome.withLock { $0 } != nil }
            #expect(outcome.withLock { $0 } == "closed")
        }
    }

    @Test("a writer that outpaces the client waits, and finishes once the client reads")
    func backpressure() async throws {
        let chunk = [UInt8](repeating: 0x61, count: 64 * 1024)
        let chunkCount = 256
        let written = Mutex(0)
        var router = Router()
        router.get("/big", .immediate { _ in
            HTTPResponse(body: .stream { writer in
                for _ in 0..<chunkCount {
                    try await writer.write(chunk)
                    written.withLock { $0 += 1 }
                }
            })
        })
        try await withServer(router, configure: { $0.maxPendingWriteBytes = 128 * 1024 }) { server in
            let client = try RawClient.connect(port: server.port)
            try await client.send("GET /big HTTP/1.1\r\nHost: t\r\n\r\n")
            // While the client reads nothing, the writer must come to a stop well short of the end: 16 MiB is more
            // than the loopback socket buffers hold. "Stopped" = no progress across 200 ms of polling.
            var last = -1, unchangedSince = RawClient.now()
            try await eventually("the writer stalled", within: .seconds(10)) {
                let now = written.withLock { $0 }
                if now != last {
                    last = now
                    unchangedSince = RawClient.now()
                }
                return now > 0 && RawClient.now() - unchangedSince > 0.2
            }
            #expect(last < chunkCount)
            let response = try await client.readResponse(timeout: 30)
            #expect(response.body.count == chunk.count * chunkCount)
            #expect(written.withLock { $0 } == chunkCount)
        }
    }

    @Test("an HTTP/1.0 client gets the stream raw, ended by the connection closing")
    func http10Stream() async throws {
        var router = Router()
        router.get("/events", .immediate { _ in
            HTTPResponse(body: .stream { writer in
                try await writer.write(Array("abc".utf8))
                try await writer.write(Array("def".utf8))
            })
        })
        try await withServer(router) { server in
            let client = try RawClient.connect(port: server.port)
            try await client.send("GET /events HTTP/1.0\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.header("Transfer-Encoding") == nil)
            #expect(response.header("Connection") == "close")
            #expect(response.text == "abcdef")
        }
    }

    @Test("a stream whose producer throws ends without the last chunk, so the client sees it cut short")
    func failingStream() async throws {
        struct Broken: Error {}
        var router = Router()
        router.get("/events", .immediate { _ in
            HTTPResponse(body: .stream { writer in
                try await writer.write(Array("partial".utf8))
                throw Broken()
            })
        })
        var logger = quietLogger()
        logger.logLevel = .critical
        try await withServer(router, logger: logger) { server in
            let client = try RawClient.connect(port: server.port)
            try await client.send("GET /events HTTP/1.1\r\nHost: t\r\n\r\n")
            _ = try await client.readHead()
            #expect(try await client.readChunk() == Array("partial".utf8))
            await #expect(throws: TestFailure.self) { _ = try await client.readChunk() }
        }
    }
}
