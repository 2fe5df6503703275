import SpoolTestSupport
import Testing
@testable import SpoolHTTP
#if canImport(Glibc)
import Glibc
#endif

@Suite("Many connections")
struct LoadTests {
    /// Raises this process's open-file limit to its hard limit (2,000+ descriptors are needed here).
    private func raiseDescriptorLimit() {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
    }

    @Test("1,000 slow connections holding partial requests do not stop a normal client from being answered")
    func slowConnectionsDoNotStarveOthers() async throws {
        raiseDescriptorLimit()
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        try #require(limit.rlim_cur >= 2_200, "needs about 2,100 descriptors; the hard limit is \(limit.rlim_max)")
        try await withServer(basicRouter(), configure: { $0.headerTimeout = 60; $0.idleTimeout = 60 }) { server in
            var slow: [RawClient] = []
            for index in 0..<1_000 {
                let client = try RawClient.connect(port: server.port)
                try await client.send("GET /hello-\(index) HT")
                slow.append(client)
            }
            let normal = try RawClient.connect(port: server.port)
            let started = RawClient.now()
            for index in 0..<50 {
                try await normal.send("GET /items/\(index) HTTP/1.1\r\nHost: t\r\n\r\n")
                let response = try await normal.readResponse(timeout: 2)
                #expect(response.text == "item \(index)")
            }
            #expect(RawClient.now() - started < 5)
            // The slow clients are all still connected and can still finish their requests.
            try await slow[0].send("TP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await slow[0].readResponse().status == 404)
            try await slow[999].send("TP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await slow[999].readResponse().status == 404)
        }
    }

    @Test("a client pipelining far more requests than the buffers hold, and reading late, gets every answer")
    func pipelinedFlood() async throws {
        let count = 20_000
        let payload = Array(String(repeating: "GET /hello HTTP/1.1\r\nHost: t\r\n\r\n", count: count).utf8)
        try await withServer(basicRouter(), configure: { $0.maxPendingWriteBytes = 4096 }) { server in
            let client = try RawClient.connect(port: server.port)
            // Send without reading until the server stops taking requests (its output is backed up), then read.
            var offset = 0, lastProgress = RawClient.now()
            try await eventually("the server stopped reading", within: .seconds(10)) {
                let sent = payload.withUnsafeBytes {
                    send(client.fd, $0.baseAddress! + offset, min(65536, payload.count - offset), Int32(MSG_DONTWAIT | MSG_NOSIGNAL))
                }
                if sent > 0 {
                    offset += sent
                    lastProgress = RawClient.now()
                }
                return offset == payload.count || RawClient.now() - lastProgress > 0.2
            }
            async let rest: Void = client.send(Array(payload[offset...]))
            let answered = try await client.countStatusLines(count)
            try await rest
            #expect(answered == count)
        }
    }

    @Test("many clients on many connections at once are all answered correctly")
    func concurrentClients() async throws {
        try await withServer(basicRouter()) { server in
            let port = server.port
            try await withThrowingTaskGroup(of: Void.self) { group in
                for clientIndex in 0..<32 {
                    group.addTask {
                        let client = try RawClient.connect(port: port)
                        for request in 0..<20 {
                            let path = request.isMultiple(of: 2) ? "/items/\(clientIndex)-\(request)" : "/async"
                            try await client.send("GET \(path) HTTP/1.1\r\nHost: t\r\n\r\n")
                            let expected = request.isMultiple(of: 2) ? "item \(clientIndex)-\(request)" : "async /async"
                            #expect(try await client.readResponse().text == expected)
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
    }
}
