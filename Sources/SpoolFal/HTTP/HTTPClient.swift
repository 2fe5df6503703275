import Logging
import Synchronization

/// An HTTP/1.1 and HTTP/2 client over libcurl's multi interface: one dedicated thread carries every transfer.
///
/// TLS peers are verified; `http_proxy`, `https_proxy` and `no_proxy` from the environment apply; connections
/// are kept and reused across requests. Every transfer sets `CURLOPT_NOSIGNAL`, and the client ignores `SIGPIPE`
/// for the whole process. Call `shutdown()` when done; dropping the last reference does the same.
///
/// The thread and libcurl's process-wide setup wait for the first request: a gateway builds its clients at start,
/// and an idle one that never calls out then keeps no thread per client, nor the OpenSSL state `curl_global_init`
/// loads (about 2 MB resident, README "Memory").
package final class HTTPClient: Sendable {
    package let configuration: HTTPClientConfiguration
    private let logger: Logger
    private let loop = Mutex(LoopState.idle)

    private enum LoopState {
        case idle
        case running(CurlEventLoop)
        case shutDown
    }

    package init(configuration: HTTPClientConfiguration = .init(), logger: Logger = Logger(label: "spool.http-client")) {
        self.configuration = configuration
        self.logger = logger
    }

    deinit { shutdown() }

    /// The loop that carries this client's transfers, started by the first call; nil once the client is shut down.
    private func runningLoop() -> CurlEventLoop? {
        loop.withLock { state in
            switch state {
            case .running(let loop): return loop
            case .shutDown: return nil
            case .idle:
                let loop = CurlEventLoop(maxConnectionsPerHost: configuration.maxConnectionsPerHost, logger: logger)
                state = .running(loop)
                return loop
            }
        }
    }

    /// Sends `request` and returns the whole response, whatever its status.
    ///
    /// Throws `HTTPClientError`, or `CancellationError` when the calling task is cancelled (which aborts the transfer).
    package func execute(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        let transfer = try CurlTransfer(request: request, configuration: configuration)
        guard let loop = runningLoop() else { throw HTTPClientError.shutDown }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                transfer.delivery = .whole(continuation)
                if !loop.submit(transfer) { transfer.fail(HTTPClientError.shutDown) }
            }
        } onCancel: {
            loop.cancel(transfer)
        }
    }

    /// Sends `request` and returns as soon as the response headers are in; the body follows as a stream.
    ///
    /// Cancelling the task while waiting for the headers, or stopping consumption of `body` later, aborts the
    /// transfer. Throws like `execute`; errors after the headers end the `body` stream instead.
    package func stream(_ request: HTTPClientRequest) async throws -> HTTPClientStreamingResponse {
        let transfer = try CurlTransfer(request: request, configuration: configuration)
        guard let loop = runningLoop() else { throw HTTPClientError.shutDown }
        let (body, bodyContinuation) = AsyncThrowingStream<[UInt8], Error>.makeStream()
        bodyContinuation.onTermination = { [weak transfer, loop] termination in
            if case .cancelled = termination, let transfer { loop.cancel(transfer) }
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                transfer.delivery = .streamed(head: continuation, body: bodyContinuation, stream: body)
                if !loop.submit(transfer) { transfer.fail(HTTPClientError.shutDown) }
            }
        } onCancel: {
            loop.cancel(transfer)
        }
    }

    /// Fails every transfer still in flight with `HTTPClientError.shutDown` and stops the client's thread.
    /// Later requests fail the same way. Blocks until the thread has ended; safe to call more than once.
    package func shutdown() {
        let running = loop.withLock { state -> CurlEventLoop? in
            defer { state = .shutDown }
            guard case .running(let loop) = state else { return nil }
            return loop
        }
        running?.shutdown()
    }
}
