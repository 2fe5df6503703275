import SpoolTestSupport
import Synchronization
import Testing
@testable import SpoolHTTP
#if canImport(Glibc)
import Glibc
#endif

@Suite("Starting and stopping")
struct LifecycleTests {
    @Test("port 0 binds an ephemeral port, reported by port")
    func ephemeralPort() async throws {
        try await withServer(basicRouter()) { server in
            #expect(server.port > 0)
            let client = try RawClient.connect(port: server.port)
            try await client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await client.readResponse().status == 200)
        }
    }

    @Test("binding a port in use throws an error naming bind and EADDRINUSE")
    func addressInUse() async throws {
        try await withServer(basicRouter()) { server in
            var configuration = HTTPServerConfiguration()
            configuration.port = server.port
            let second = HTTPServer(configuration: configuration, router: basicRouter(), logger: quietLogger())
            let error = try #require(throws: SystemCallError.self) { try second.start() }
            #expect(error.call == "bind")
            #expect(error.errno == EADDRINUSE)
            #expect(error.description.contains("127.0.0.1:\(server.port)"))
            // The failed server can still be shut down and waited for without hanging.
            await second.shutdown()
            await second.waitUntilStopped()
        }
    }

    /// Whether this machine has an IPv6 loopback to test with.
    static var hasIPv6Loopback: Bool {
        (try? ListeningSocket(host: "::1", port: 0, backlog: 1)).map { close($0.fd) } != nil
    }

    @Test(
        "an IPv6 host binds and serves, and the peer address is written [host]:port",
        .enabled(if: LifecycleTests.hasIPv6Loopback, "needs an IPv6 loopback"))
    func ipv6() async throws {
        let records = Collected<HTTPRequestRecord>()
        try await withServer(basicRouter(), observer: { records.append($0) }, configure: { $0.host = "::1" }) { server in
            let client = try RawClient.connect(port: server.port, ipv6: true)
            try await client.send("GET /hello HTTP/1.1\r\nHost: [::1]\r\n\r\n")
            #expect(try await client.readResponse().text == "hello")
        }
        #expect(records.all.first?.remoteAddress.hasPrefix("[::1]:") == true)
    }

    @Test("socket addresses parse IPv4, IPv6 (with or without brackets) and localhost")
    func socketAddresses() {
        #expect(SocketAddress(host: "127.0.0.1", port: 80)?.description == "127.0.0.1:80")
        #expect(SocketAddress(host: "localhost", port: 8080)?.description == "127.0.0.1:8080")
        #expect(SocketAddress(host: "::", port: 1)?.description == "[::]:1")
        #expect(SocketAddress(host: "[::1]", port: 443)?.description == "[::1]:443")
        #expect(SocketAddress(host: "example.com", port: 80) == nil)
    }

    @Test("a host that is not an IP literal is refused at start")
    func invalidHost() throws {
        var configuration = HTTPServerConfiguration()
        configuration.host = "not a host"
        configuration.port = 0
        let server = HTTPServer(configuration: configuration, router: Router(), logger: quietLogger())
        #expect(throws: SystemCallError.self) { try server.start() }
    }

    @Test("graceful shutdown lets an async request in flight finish with 200, closes idle connections and refuses new ones")
    func gracefulShutdown() async throws {
        let entered = Gate(), release = Gate()
        var router = Router()
        router.get("/slow", .async { _ in
            entered.open()
            await release.wait()
            return HTTPResponse.text("finished")
        })
        router.get("/hello", .immediate { _ in HTTPResponse.text("hello") })
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.eventLoopCount = 2
        configuration.shutdownGracePeriod = 10
        let server = HTTPServer(configuration: configuration, router: router, logger: quietLogger())
        try server.start()
        let port = server.port

        let idle = try RawClient.connect(port: port)
        try await idle.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try await idle.readResponse().status == 200)
        let busy = try RawClient.connect(port: port)
        try await busy.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n")
        await entered.wait()

        let stopped = Task { await server.shutdown() }
        try await eventually("new connections are refused") { (try? RawClient.connect(port: port)) == nil }
        #expect(await idle.waitForClose())
        release.open()
        let response = try await busy.readResponse()
        #expect(response.status == 200)
        #expect(response.text == "finished")
        #expect(response.header("Connection") == "close")
        busy.shutdownWrite()  // ends the server's linger on this connection at once
        await stopped.value
        await server.waitUntilStopped()
        await server.shutdown()
    }

    @Test("after the grace period a stream still running is closed and its writer throws closed")
    func graceExpiresForStreams() async throws {
        let outcome = Mutex<String?>(nil)
        let started = Gate()
        var router = Router()
        router.get("/forever", .immediate { _ in
            HTTPResponse(body: .stream { writer in
                do {
                    started.open()
                    while true { try await writer.write(Array(": tick\n\n".utf8)); await Task.yield() }
                } catch HTTPBodyWriterError.closed {
                    outcome.withLock { $0 = "closed" }
                } catch {
                    outcome.withLock { $0 = "other" }
                }
            })
        })
        try await withServer(router, configure: { $0.shutdownGracePeriod = 0.2 }) { server in
            let client = try RawClient.connect(port: server.port)
            try await client.send("GET /forever HTTP/1.1\r\nHost: t\r\n\r\n")
            await started.wait()
            await server.shutdown()
            try await eventually("the writer saw the close") { outcome.withLock { $0 } != nil }
            #expect(outcome.withLock { $0 } == "closed")
        }
    }

    @Test("shutdown before start, twice, and from several tasks at once all return")
    func shutdownIsIdempotent() async throws {
        let never = HTTPServer(configuration: HTTPServerConfiguration(), router: Router(), logger: quietLogger())
        await never.shutdown()
        await never.shutdown()
        await never.waitUntilStopped()

        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        let server = HTTPServer(configuration: configuration, router: basicRouter(), logger: quietLogger())
        try server.start()
        async let first: Void = server.shutdown()
        async let second: Void = server.shutdown()
        async let waiting: Void = server.waitUntilStopped()
        _ = await (first, second, waiting)
        await server.shutdown()
    }
}
