import SpoolTestSupport
import Testing
@testable import SpoolFal

@Suite("HTTP client cancellation and streaming")
struct HTTPClientCancellationTests {
    @Test("cancelling the task aborts the transfer and closes its connection")
    func taskCancellation() async throws {
        let server = try TestHTTPServer { _ in .holdUntilClientCloses }
        defer { server.stop() }
        let client = HTTPClient()
        defer { client.shutdown() }

        let task = Task { try await client.execute(HTTPClientRequest(url: server.baseURL + "/held")) }
        try await eventually("the server received the request") {
            server.counters.withLock { $0.requestsReceived } == 1
        }
        task.cancel()
        await #expect(throws: CancellationError.self) { _ = try await task.value }
        try await eventually("the client closed the held connection") {
            server.counters.withLock { $0.closedByClientWhileHeld } == 1
        }
    }

    @Test("a program started during a transfer does not inherit its connection and keep it open")
    func childProcessDoesNotHoldConnection() async throws {
        let server = try TestHTTPServer { _ in .holdUntilClientCloses }
        defer { server.stop() }
        let client = HTTPClient()
        defer { client.shutdown() }

        let task = Task { try await client.execute(HTTPClientRequest(url: server.baseURL + "/held")) }
        try await eventually("the server received the request") {
            server.counters.withLock { $0.requestsReceived } == 1
        }
        let child = try SleepingChild(seconds: 30)
        defer { child.end() }
        task.cancel()
        await #expect(throws: CancellationError.self) { _ = try await task.value }
        try await eventually("the client closed the held connection") {
            server.counters.withLock { $0.closedByClientWhileHeld } == 1
        }
    }

    @Test("a task cancelled before it starts never sends its request; being the client's first, it leaves the client usable")
    func cancelledBeforeStart() async throws {
        let server = try TestHTTPServer { _ in .respond(status: 200) }
        defer { server.stop() }
        let client = HTTPClient()
        defer { client.shutdown() }

        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await client.execute(HTTPClientRequest(url: server.baseURL + "/never"))
        }
        await #expect(throws: CancellationError.self) { _ = try await task.value }
        #expect(server.counters.withLock { $0.requestsReceived } == 0)
        // The client's transfer thread starts with its first request: the cancelled one must not leave it half-made.
        #expect(try await client.execute(HTTPClientRequest(url: server.baseURL + "/later")).status == 200)
        #expect(server.counters.withLock { $0.requestsReceived } == 1)
    }

    @Test("a stream delivers the head and first chunk while the server still holds the rest")
    func streamingChunks() async throws {
        let gate = TestGate()
        let server = try TestHTTPServer { _ in
            .chunked(first: Array("first".utf8), gate: gate, rest: [Array("second".utf8), Array("third".utf8)])
        }
        defer { server.stop() }
        let client = HTTPClient()
        defer { client.shutdown() }

        let response = try await client.stream(HTTPClientRequest(url: server.baseURL + "/events"))
        #expect(response.status == 200)
        #expect(response.headers["transfer-encoding"] == "chunked")
        var iterator = response.body.makeAsyncIterator()
        #expect(try await iterator.next() == Array("first".utf8))
        gate.open()
        var rest: [UInt8] = []
        while let chunk = try await iterator.next() { rest += chunk }
        #expect(rest == Array("secondthird".utf8))
    }

    @Test("a consumer that drops a stream ends the transfer")
    func streamAbandoned() async throws {
        let server = try TestHTTPServer { _ in .chunkedThenHold(first: Array("only".utf8)) }
        defer { server.stop() }
        let client = HTTPClient()
        defer { client.shutdown() }

        /// Reads one chunk and returns, dropping the response and its body stream.
        func firstChunk() async throws -> [UInt8]? {
            let response = try await client.stream(HTTPClientRequest(url: server.baseURL + "/events"))
            for try await chunk in response.body { return chunk }
            return nil
        }
        #expect(try await firstChunk() == Array("only".utf8))
        try await eventually("the client closed the held connection") {
            server.counters.withLock { $0.closedByClientWhileHeld } == 1
        }
    }

    @Test("a stream that cannot connect throws before any head")
    func streamConnectFailure() async throws {
        let port = try RefusingPort()
        defer { port.close() }
        let client = HTTPClient()
        defer { client.shutdown() }
        await #expect {
            _ = try await client.stream(HTTPClientRequest(url: port.url))
        } throws: { error in
            if case .connectFailed = error as? HTTPClientError { return true }
            return false
        }
    }
}
