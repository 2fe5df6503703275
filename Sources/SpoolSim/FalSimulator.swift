import Foundation
import Logging
import SpoolHTTP
import Synchronization

/// An emulator of fal.ai's queue API (`shared/spec/FAL.md`), faithful enough that fal's official clients cannot
/// tell it apart: submit, status (polled or streamed), result, cancel, signed webhooks, a real MP4 to download,
/// an account concurrency limit, and injected faults. It serves on Spool's own `HTTPServer`.
///
/// Start it, point a fal client at `baseURL`, and shut it down when done:
/// ```swift
/// var configuration = SimulatorConfiguration()
/// configuration.port = 0
/// let simulator = FalSimulator(configuration: configuration, logger: logger)
/// try simulator.start()
/// // … use simulator.baseURL …
/// await simulator.shutdown()
/// ```
package final class FalSimulator: Sendable {
    package let configuration: SimulatorConfiguration
    private let logger: Logger
    private let recorder = RequestRecorder()
    private let state: Mutex<State>

    private enum State: Sendable {
        case idle
        case running(server: HTTPServer, context: SimContext, ticker: Task<Void, Never>)
        case stopped
    }

    package init(configuration: SimulatorConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        state = Mutex(.idle)
    }

    /// Checks the configuration, binds the socket and starts serving. Throws `SimulatorConfigurationError` for a
    /// bad configuration, or the server's error when it cannot bind.
    package func start() throws {
        try configuration.validate()
        let context = try SimContext(configuration: configuration, logger: logger, recorder: recorder)
        var serverConfiguration = HTTPServerConfiguration()
        serverConfiguration.host = configuration.host
        serverConfiguration.port = configuration.port
        serverConfiguration.eventLoopCount = 1
        serverConfiguration.maxBodyBytes = 8 * 1024 * 1024
        serverConfiguration.shutdownGracePeriod = 1
        let server = HTTPServer(configuration: serverConfiguration, router: SimRouter.make(context), logger: logger)
        try state.withLock { state in
            guard case .idle = state else { throw SimulatorConfigurationError(message: "the simulator was already started") }
            try server.start()
            context.bind(port: server.port)
            state = .running(server: server, context: context, ticker: FalSimulator.startTicker(context))
        }
        logger.info("fal emulator listening", metadata: [
            "base_url": .string(context.baseURL), "concurrency": .stringConvertible(configuration.concurrency),
        ])
    }

    /// The bound port (0 before `start()`).
    package var port: Int {
        state.withLock { state in
            if case .running(let server, _, _) = state { return server.port }
            return 0
        }
    }

    /// The base URL of the emulated queue, as put in the URLs it hands out (`http://127.0.0.1:PORT`).
    package var baseURL: String {
        state.withLock { state in
            if case .running(_, let context, _) = state { return context.baseURL }
            return configuration.publicBaseURL ?? "http://\(configuration.host):\(configuration.port)"
        }
    }

    /// Where the webhook signing key is published.
    package var jwksURL: String { baseURL + "/.well-known/jwks.json" }

    /// Every HTTP request received so far (newest last, the newest 10 000 at most), `Authorization` values
    /// redacted. Still readable after `shutdown()`.
    package func requestLog() -> [SimRecordedRequest] { recorder.all() }

    /// Forgets the requests received so far.
    package func clearRequestLog() { recorder.clear() }

    /// Stops serving: webhook retries are abandoned, open streams end, the socket closes. Runs that ended since the
    /// last tick still have their videos kept (`outputFolder`).
    package func shutdown() async {
        let running = state.withLock { state -> (HTTPServer, SimContext, Task<Void, Never>)? in
            defer { state = .stopped }
            if case .running(let server, let context, let ticker) = state { return (server, context, ticker) }
            return nil
        }
        guard let (server, context, ticker) = running else { return }
        ticker.cancel()
        context.webhooks.cancelAll()
        context.archive?.keep(context.queue.takeEnded().ended, followingDuration: configuration.videoFollowsDuration)
        await server.shutdown()
        logger.info("fal emulator stopped")
    }

    /// Watches the queue for requests that end and sends their webhooks. It sleeps until the next start or
    /// end is due, but at most 100 ms, so that new submissions and cancellations are noticed promptly.
    private static func startTicker(_ context: SimContext) -> Task<Void, Never> {
        Task {
            while !Task.isCancelled {
                let (ended, nextEventIn) = context.queue.takeEnded()
                context.archive?.keep(ended, followingDuration: context.configuration.videoFollowsDuration)
                for request in ended {
                    context.logger.info("request completed", metadata: ["request_id": .string(request.id)])
                    if let url = request.webhookURL {
                        context.webhooks.deliver(requestID: request.id, to: url, body: context.documents.webhookBody(request))
                    }
                }
                let pause = min(max(nextEventIn ?? 0.1, 0.005), 0.1)
                do { try await Task.sleep(for: .seconds(pause)) } catch { return }
            }
        }
    }
}
