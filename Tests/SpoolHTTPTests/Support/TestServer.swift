import Logging
import SpoolTestSupport
import Synchronization
@testable import SpoolHTTP

/// Starts a server on 127.0.0.1 with an ephemeral port, runs `body`, and shuts the server down (also when
/// `body` throws).
///
/// Tests get two loops (so hand-off between loops is exercised), a short grace period, and a logger that keeps
/// only warnings and worse unless a test passes its own.
func withServer(
    _ router: Router, logger: Logger? = nil, accessLog: AccessLog? = nil,
    observer: (@Sendable (HTTPRequestRecord) -> Void)? = nil,
    configure: (inout HTTPServerConfiguration) -> Void = { _ in },
    _ body: (HTTPServer) async throws -> Void
) async throws {
    var configuration = HTTPServerConfiguration()
    configuration.port = 0
    configuration.eventLoopCount = 2
    configuration.shutdownGracePeriod = 1
    configure(&configuration)
    let server = HTTPServer(
        configuration: configuration, router: router, logger: logger ?? quietLogger(), accessLog: accessLog,
        observer: observer)
    try server.start()
    do {
        try await body(server)
    } catch {
        await server.shutdown()
        throw error
    }
    await server.shutdown()
}

/// A router with the routes most tests use.
func basicRouter() -> Router {
    var router = Router()
    router.get("/hello", .immediate { _ in HTTPResponse.text("hello") })
    router.post("/echo", .immediate { request in
        HTTPResponse(status: .ok, headers: ["Content-Type": "application/octet-stream"], body: .bytes(request.body))
    })
    router.get("/async", .async { request in
        await Task.yield()
        return HTTPResponse.text("async \(request.path)")
    })
    router.get("/items/{id}", .immediate { request in HTTPResponse.text("item \(request.pathParameters["id"] ?? "")") })
    return router
}

/// A one-shot signal a handler can wait on and a test can fire.
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { continuation in
            let open = state.withLock { state -> Bool in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if open { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    var isOpen: Bool { state.withLock { $0.open } }
}

/// A thread-safe box for values tests collect from handlers and observers.
final class Collected<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])
    func append(_ value: Value) { values.withLock { $0.append(value) } }
    var all: [Value] { values.withLock { $0 } }
    var count: Int { values.withLock { $0.count } }
}
