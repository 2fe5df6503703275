import Logging
import SpoolFal
import SpoolHTTP
import SpoolJSON

/// `POST /v1/fal/webhook?job=<id>&token=<per-job secret>`: fal says a job ended.
///
/// The token must match the job's (otherwise 404, as if there were no such job). When fal's signature headers
/// are present they must verify against the configured JWKS (otherwise 401). The call then asks the tracker to
/// poll the job at once, so that the outcome is applied by exactly the code that applies polls: the same
/// transitions, the same result fetch. Duplicate or late calls find nothing left to change.
struct FalWebhookAPI: Sendable {
    let store: any GatewayStore
    let verifier: FalWebhookVerifier?
    let tracker: JobTracker
    let logger: Logger

    func register(in router: inout Router) {
        router.post(FalCallbackURL.path, .async { try await receive($0) })
    }

    private func receive(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard let jobID = request.queryValue("job"), let token = request.queryValue("token") else {
            throw HTTPError.notFound()
        }
        let job = try await store.job(jobID)
        guard let job, APIKeySecret.constantTimeEquals(token, job.falWebhookToken) else { throw HTTPError.notFound() }
        if let verifier, request.headers.contains("X-Fal-Webhook-Signature") {
            let headers = request.headers.fields.map { ($0.name, $0.value) }
            do {
                try await verifier.verify(headers: headers, body: request.body)
            } catch {
                logger.warning("refused a fal callback with a bad signature", metadata: ["job_id": "\(jobID)", "error": "\(error)"])
                throw HTTPError(.unauthorized, code: "invalid_signature", message: "The fal webhook signature does not verify.")
            }
        }
        if !job.status.isTerminal {
            // A job whose result is saved is having its files copied by the lease holder: nothing to poll.
            if job.status.isAtFal, job.fal != nil, job.result == nil { tracker.follow(job) }
            tracker.nudge(jobID)
        }
        return .json(["received": true])
    }
}
