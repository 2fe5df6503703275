import Logging
import SpoolHTTP
import SpoolJSON

/// Deliveries of a job, replaying one, and the team's signing secret.
struct WebhooksAPI: Sendable {
    let jobs: JobService
    let deliverer: WebhookDeliverer
    let authenticator: Authenticator

    func register(in router: inout Router) {
        router.get("/v1/jobs/{id}/deliveries", .async { try await deliveries($0) })
        router.post("/v1/jobs/{id}/deliveries/{delivery_id}/retry", .async { try await retry($0) })
        router.get("/v1/webhook-secret", .async { try await secret($0, rotate: false) })
        router.post("/v1/webhook-secret/rotate", .async { try await secret($0, rotate: true) })
    }

    private func deliveries(_ request: HTTPRequest) async throws -> HTTPResponse {
        let principal = try await authenticator.authenticate(request)
        let id = request.pathParameters["id"]!
        _ = try await jobs.job(id, principal: principal)
        let list = try await jobs.store.deliveries(ofJob: id)
        return .json(["object": "list", "data": .array(list.map(\.json))])
    }

    private func retry(_ request: HTTPRequest) async throws -> HTTPResponse {
        let principal = try await authenticator.authenticate(request)
        let id = request.pathParameters["id"]!
        let deliveryID = request.pathParameters["delivery_id"]!
        _ = try await jobs.job(id, principal: principal)
        let now = Timestamp.now()
        let updated = try await jobs.store.replay(delivery: deliveryID, ofJob: id, at: now)
        guard let updated else { throw HTTPError.notFound("Job \(id) has no delivery \(deliveryID).") }
        deliverer.poke()
        return .json(updated.json, status: .accepted)
    }

    private func secret(_ request: HTTPRequest, rotate: Bool) async throws -> HTTPResponse {
        let principal = try await authenticator.authenticate(request)
        let team = principal.team
        let (secret, all) = try await jobs.store.secret(for: team, rotate: rotate, at: .now())
        var body: JSONObject = ["object": "webhook_secret", "team": .string(team), "secret": .string(secret)]
        if rotate { body["previous_secrets_valid_for_seconds"] = .integer(WebhookSecrets.overlapMilliseconds / 1000) }
        body["active_secrets"] = .integer(Int64(all.count))
        return .json(.object(body))
    }
}
