import Logging
import SpoolHTTP
import SpoolJSON
import Synchronization

/// What every route of the emulator shares: its configuration, queue, fault plan, request log and webhook
/// sender, and the base URL it hands out (known once the socket is bound). Thread-safe: every member is
/// immutable or guards itself.
final class SimContext: Sendable {
    let configuration: SimulatorConfiguration
    let logger: Logger
    let faults: FaultPlan
    let queue: SimQueue
    let recorder: RequestRecorder
    let signer: WebhookSigner
    let webhooks: WebhookDispatcher
    let deletedPayloads = DeletedPayloads()
    /// Where finished runs' videos are kept across restarts, when configured.
    let archive: OutputArchive?
    private let boundBaseURL = Mutex<String?>(nil)

    init(configuration: SimulatorConfiguration, logger: Logger, recorder: RequestRecorder) throws {
        self.configuration = configuration
        self.logger = logger
        self.recorder = recorder
        faults = FaultPlan(configuration: configuration)
        queue = SimQueue(configuration: configuration, faults: faults)
        signer = try WebhookSigner(seed: configuration.webhookKeySeed)
        webhooks = WebhookDispatcher(signer: signer, configuration: configuration, logger: logger)
        archive = try configuration.outputFolder.map { try OutputArchive(folder: $0, logger: logger) }
    }

    /// Records the base URL once the port is known: `publicBaseURL` when configured, else `http://host:port`.
    func bind(port: Int) {
        var base = configuration.publicBaseURL ?? {
            let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
            return "http://\(host):\(port)"
        }()
        while base.hasSuffix("/") { base.removeLast() }
        boundBaseURL.withLock { $0 = base }
    }

    var baseURL: String { boundBaseURL.withLock { $0 } ?? "http://\(configuration.host):\(configuration.port)" }

    var documents: FalDocuments {
        FalDocuments(
            baseURL: baseURL, clock: queue.clock, logInterval: configuration.logInterval,
            outputFileBytes: configuration.outputFileBytes, videoFollowsDuration: configuration.videoFollowsDuration)
    }

    /// A fal-shaped JSON answer: `{"detail": …}` and friends.
    static func answer(_ body: JSONValue, _ status: HTTPStatus, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        HTTPResponse.json(body, status: status, headers: headers)
    }

    /// nil when the `Authorization` header carries an acceptable key, otherwise fal's 401.
    func authorizationFailure(_ request: HTTPRequest) -> HTTPResponse? {
        let key = request.headers["Authorization"].flatMap { header in
            header.hasPrefix("Key ") ? String(header.dropFirst(4).drop { $0 == " " }) : nil
        }
        guard let key, !key.isEmpty else {
            return SimContext.answer(
                ["detail": "Missing or malformed Authorization header: expected 'Key <FAL_KEY>'"], .unauthorized)
        }
        if let expected = configuration.expectedKey, key != expected {
            return SimContext.answer(["detail": "No user found for Key ID and Secret"], .unauthorized)
        }
        return nil
    }

    /// The common front of every queue operation: record the request, check the key, then apply the fault plan
    /// (a delay, then maybe a 503, a 429 or a broken connection) before `operation` answers.
    func queueOperation(
        _ kind: SimOperation, _ request: HTTPRequest, _ operation: @Sendable (HTTPRequest) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        recorder.record(request)
        if let failure = authorizationFailure(request) { return failure }
        let fault = faults.decide(for: kind)
        if fault.delay > 0 { try await Task.sleep(for: .seconds(fault.delay)) }
        switch fault.kind {
        case .none:
            return try await operation(request)
        case .unavailable:
            logger.info("injected 503", metadata: ["operation": .string(kind.rawValue), "path": .string(request.path)])
            return SimContext.answer(
                ["detail": "No runner was available to process the request", "error_type": "runner_scheduling_failure"],
                .serviceUnavailable,
                headers: ["X-Fal-Error-Type": "runner_scheduling_failure", "X-Fal-Retryable": "true"])
        case .rateLimited:
            logger.info("injected 429", metadata: ["operation": .string(kind.rawValue), "path": .string(request.path)])
            return SimContext.answer(
                ["detail": "Too many requests, slow down", "error_type": "rate_limited"], .tooManyRequests,
                headers: ["Retry-After": String(configuration.retryAfterSeconds), "X-Fal-Error-Type": "rate_limited"])
        case .drop:
            logger.info("injected drop", metadata: ["operation": .string(kind.rawValue), "path": .string(request.path)])
            return SimContext.droppedConnection
        }
    }

    /// A response whose body fails at once: the server closes the connection without completing it, which is
    /// as close to "the connection dropped" as a handler can get (the status line may already be out; it says
    /// 502 so that a client reading only the status also sees a transient failure).
    static let droppedConnection = HTTPResponse(
        status: .badGateway, headers: ["Content-Type": "application/json"],
        body: .stream { _ in throw InjectedDrop() })

    struct InjectedDrop: Error {}
}
