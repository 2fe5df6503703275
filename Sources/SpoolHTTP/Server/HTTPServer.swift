#if canImport(Glibc)
import Glibc
#endif
import Logging
import Synchronization

/// The HTTP/1.1 server: non-blocking sockets, `configuration.eventLoopCount` epoll event-loop threads, and the
/// `Router`'s handlers.
///
/// ```swift
/// let server = HTTPServer(configuration: configuration, router: router, logger: logger)
/// try server.start()            // bound and accepting when this returns
/// …
/// await server.shutdown()       // graceful: in-flight requests get `shutdownGracePeriod` to finish
/// ```
///
/// Every finished request is logged at info level (metadata `method`, `path`, `status`, `duration_ms`,
/// `request_id`) and passed to `observer`, which runs on an event-loop thread and must be quick. Given an
/// `accessLog`, the line is formatted into bytes and buffered instead (and sampled as it says) rather than sent
/// through `logger`.
///
/// The server ignores `SIGPIPE` for the whole process (sends also use `MSG_NOSIGNAL`) and installs no other
/// signal handler: stopping on SIGTERM is the caller's business. Linux only (epoll, eventfd).
package final class HTTPServer: Sendable {
    private let context: ServerContext

    private enum Phase {
        case idle, running, stopping, stopped
    }

    private struct State {
        var phase = Phase.idle
        var inboxes: [LoopInbox] = []
        var port = 0
        var runningLoops = 0
        var stopWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    package init(
        configuration: HTTPServerConfiguration, router: Router, logger: Logger,
        accessLog: AccessLog? = nil, observer: (@Sendable (HTTPRequestRecord) -> Void)? = nil
    ) {
        context = ServerContext(
            configuration: configuration, router: router, logger: logger, observer: observer, accessLog: accessLog)
    }

    /// Binds, listens and starts the event loops; returns once connections are being accepted.
    ///
    /// Throws a `SystemCallError` naming the call and errno, such as
    /// `bind(127.0.0.1:8080) failed: Address already in use (errno 98)`, or when the server was already started.
    package func start() throws {
        _ = HTTPServer.ignoreBrokenPipes
        try state.withLock { state throws(SystemCallError) in
            guard state.phase == .idle else {
                throw SystemCallError(call: "HTTPServer.start", errno: EALREADY, subject: "already started")
            }
            state.phase = .running
        }
        do {
            try startLoops()
        } catch {
            state.withLock { $0.phase = .idle }
            throw error
        }
    }

    private func startLoops() throws(SystemCallError) {
        let configuration = context.configuration
        let socket = try ListeningSocket(host: configuration.host, port: configuration.port, backlog: configuration.backlog)
        var loops: [EventLoop] = []
        do {
            for index in 0..<max(1, configuration.eventLoopCount) {
                loops.append(try EventLoop(index: index, context: context) { [self] in loopStopped() })
            }
            let listener = Listener(socket: socket, loops: loops.map(\.inbox))
            try listener.register(on: loops[0])
            loops[0].listener = listener
        } catch {
            Syscall.close(socket.fd)
            throw error
        }
        state.withLock { state in
            state.inboxes = loops.map(\.inbox)
            state.port = socket.address.port
            state.runningLoops = loops.count
        }
        for (index, loop) in loops.enumerated() {
            do {
                try loop.start()
            } catch {
                // Loops already running stop through the usual shutdown; the rest never ran.
                if index == 0 { Syscall.close(socket.fd) }
                let running = state.withLock { state in
                    state.runningLoops = index
                    state.phase = index == 0 ? .stopped : .stopping
                    return Array(state.inboxes.prefix(index))
                }
                for inbox in running { inbox.post(.beginShutdown(gracePeriod: 0)) }
                throw error
            }
        }
        context.logger.info("HTTP server listening", metadata: [
            "address": "\(socket.address.description)", "event_loops": "\(loops.count)",
        ])
    }

    /// The bound port (after `start`; the kernel's choice when the configuration asked for port 0).
    package var port: Int {
        state.withLock { $0.port }
    }

    /// Stops accepting, closes idle connections, lets requests and streams in flight finish within
    /// `shutdownGracePeriod`, then closes everything (streams' writers throw `closed`) and stops the loops.
    /// Returns once the server has stopped. Safe to call more than once, and from several tasks.
    package func shutdown() async {
        let inboxes: [LoopInbox] = state.withLock { state in
            switch state.phase {
            case .idle:
                state.phase = .stopped
                return []
            case .running:
                state.phase = .stopping
                return state.inboxes
            case .stopping, .stopped:
                return []
            }
        }
        for inbox in inboxes {
            inbox.post(.beginShutdown(gracePeriod: context.configuration.shutdownGracePeriod))
        }
        await waitUntilStopped()
    }

    /// Returns once the server has fully stopped (at once if it was never started).
    package func waitUntilStopped() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let stopped = state.withLock { state -> Bool in
                guard state.phase == .running || state.phase == .stopping else { return true }
                state.stopWaiters.append(continuation)
                return false
            }
            if stopped { continuation.resume() }
        }
    }

    private func loopStopped() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>]? in
            state.runningLoops -= 1
            guard state.runningLoops == 0 else { return nil }
            state.phase = .stopped
            state.inboxes = []
            defer { state.stopWaiters = [] }
            return state.stopWaiters
        }
        guard let waiters else { return }
        context.logger.info("HTTP server stopped")
        for waiter in waiters { waiter.resume() }
    }

    /// A peer that closes its end would otherwise kill the process with SIGPIPE on the next write.
    private static let ignoreBrokenPipes: Void = {
        _ = signal(SIGPIPE, SIG_IGN)
    }()
}
