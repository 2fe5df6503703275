import Logging
import SpoolFal
import Synchronization

/// Sends the outbox's pending deliveries: signed per Standard Webhooks, at most `concurrency` at once, each
/// attempt recorded. A 2xx within the timeout delivers; 410 stops; anything else retries on the schedule (with
/// jitter, and no sooner than the receiver's `Retry-After`) until the schedule runs out and the delivery fails.
///
/// The receiver's host is resolved and every address checked against the private-address policy before each
/// attempt, and curl is pinned to the checked address, so a DNS answer cannot point a delivery inward between
/// the check and the connection. Redirects are not followed.
///
/// Where several processes share the store, each takes its due deliveries under a lease as `owner`, long enough
/// for one attempt, so each attempt is made by one process, and a process that dies leaves them to the others.
final class WebhookDeliverer: Sendable {
    let store: any GatewayStore
    let owner: String
    /// How long a taken delivery stays this process's: the attempt's timeout (which bounds it) and a margin.
    let leaseSeconds: Double
    let client: HTTPClient
    let policy: WebhookURLPolicy
    let schedule: [Double]
    let concurrency: Int
    let metrics: SpoolMetrics
    let logger: Logger
    private let inFlight = Mutex<Set<String>>([])
    private let wakeup = Wakeup()

    init(
        store: any GatewayStore, owner: String, client: HTTPClient, configuration: SpoolConfiguration,
        metrics: SpoolMetrics, logger: Logger
    ) {
        self.store = store
        self.owner = owner
        self.leaseSeconds = configuration.webhooks.timeoutSeconds + 5
        self.client = client
        self.policy = WebhookURLPolicy(allowPrivate: configuration.webhooks.allowPrivate)
        self.schedule = configuration.webhooks.retrySchedule
        self.concurrency = max(1, configuration.webhooks.concurrency)
        self.metrics = metrics
        self.logger = logger
    }

    /// Looks for due deliveries now (a transition wrote one, or a retry was asked for).
    func poke() { wakeup.ring() }

    /// Runs until cancelled.
    func run() async {
        while !Task.isCancelled {
            let delay = await sendDue()
            guard await wakeup.wait(upTo: delay) else { return }
        }
    }

    /// Starts attempts for due deliveries while there is room; returns how long until the next is due.
    private func sendDue() async -> Double {
        let room = concurrency - inFlight.withLock { $0.count }
        do {
            if room > 0 {
                let busy = inFlight.withLock { $0 }
                let due = try await store.takeDueDeliveries(
                    at: .now(), limit: room + busy.count, owner: owner, leaseSeconds: leaseSeconds)
                for delivery in due.filter({ !busy.contains($0.id) }).prefix(room) {
                    inFlight.withLock { _ = $0.insert(delivery.id) }
                    Task {
                        await attempt(delivery)
                        inFlight.withLock { _ = $0.remove(delivery.id) }
                        poke()
                    }
                }
            }
            guard let next = try await store.nextDeliveryDue() else { return 5 }
            return min(5, max(0.02, next.seconds - Timestamp.now().seconds))
        } catch {
            logger.error("could not read pending webhook deliveries", metadata: ["error": "\(error)"])
            return 1
        }
    }

    /// One attempt at `delivery`, recorded whatever its outcome.
    func attempt(_ delivery: WebhookDelivery) async {
        let outcome = await send(delivery)
        let now = Timestamp.now()
        let attempts = delivery.attempts + 1
        var state = WebhookDelivery.State.pending
        var next: Timestamp?
        switch outcome.kind {
        case .delivered: state = .delivered
        case .gone: state = .failed
        case .retry(let retryAfter):
            if attempts >= schedule.count {
                state = .failed
            } else {
                let planned = schedule[attempts] * Double.random(in: 0.9...1.1)
                next = now.adding(seconds: max(planned, min(retryAfter ?? 0, 86_400)))
            }
        }
        metrics.recordDelivery(outcome: state == .pending ? "retrying" : state.rawValue)
        do {
            try await store.recordAttempt(WebhookAttemptRecord(
                deliveryID: delivery.id, state: state, attempts: attempts, statusCode: outcome.statusCode,
                error: outcome.error, nextAttemptAt: next, at: now))
        } catch {
            logger.error("could not record a webhook attempt", metadata: ["delivery_id": "\(delivery.id)", "error": "\(error)"])
        }
        if state == .failed {
            logger.warning("webhook delivery failed for good", metadata: [
                "delivery_id": "\(delivery.id)", "job_id": "\(delivery.jobID)", "attempts": "\(attempts)",
            ])
        }
    }

    struct Outcome {
        enum Kind {
            case delivered
            case gone
            case retry(retryAfter: Double?)
        }

        var kind: Kind
        var statusCode: Int?
        var error: String?
    }

    private func send(_ delivery: WebhookDelivery) async -> Outcome {
        let target: WebhookURLPolicy.Target
        switch policy.check(delivery.url) {
        case .success(let checked): target = checked
        case .failure(let problem): return Outcome(kind: .gone, statusCode: nil, error: "webhook URL " + problem.message)
        }
        let addresses: [IPAddress]
        do { addresses = try await AddressResolver.resolve(target.host, port: target.port) } catch {
            return Outcome(kind: .retry(retryAfter: nil), statusCode: nil, error: "\(error)")
        }
        guard let address = addresses.first(where: policy.permits(resolved:)) else {
            return Outcome(
                kind: .retry(retryAfter: nil), statusCode: nil,
                error: "\(target.host) resolves only to private addresses (set SPOOL_ALLOW_PRIVATE_WEBHOOKS to allow)")
        }
        let body = Array(delivery.payload.utf8)
        let timestamp = Timestamp.now().milliseconds / 1000
        let secrets: [String]
        do {
            secrets = try await store.signingSecrets(for: delivery.team, at: .now())
        } catch {
            return Outcome(kind: .retry(retryAfter: nil), statusCode: nil, error: "could not read the signing secret")
        }
        let pinnedAddress = address.bytes.count == 16 ? "[\(address)]" : address.description
        let request = HTTPClientRequest(
            method: .post, url: delivery.url,
            headers: [
                ("Content-Type", "application/json"), ("webhook-id", delivery.webhookID),
                ("webhook-timestamp", String(timestamp)),
                ("webhook-signature", WebhookSignature.header(id: delivery.webhookID, timestamp: timestamp, body: body, secrets: secrets)),
            ],
            body: body, resolve: ["\(target.host):\(target.port):\(pinnedAddress)"])
        do {
            let response = try await client.execute(request)
            switch response.status {
            case 200..<300: return Outcome(kind: .delivered, statusCode: response.status, error: nil)
            case 410: return Outcome(kind: .gone, statusCode: 410, error: "the receiver answered 410 Gone")
            default:
                let retryAfter = response.headers["Retry-After"].flatMap { Double($0.trimmingCharacters(in: " ")) }
                return Outcome(kind: .retry(retryAfter: retryAfter), statusCode: response.status,
                               error: "the receiver answered \(response.status)")
            }
        } catch {
            return Outcome(kind: .retry(retryAfter: nil), statusCode: nil, error: "\(error)")
        }
    }
}
