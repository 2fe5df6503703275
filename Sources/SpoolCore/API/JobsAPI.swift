import SpoolHTTP
import SpoolJSON

/// The routes under `/v1/jobs`: submit (async, sync with `Prefer: wait`, or SSE), read, list, result, cancel,
/// events.
struct JobsAPI: Sendable {
    let jobs: JobService
    let cancellation: JobCancellation
    let authenticator: Authenticator
    let configuration: SpoolConfiguration
    let readCache: JobReadCache

    func register(in router: inout Router) {
        router.post("/v1/jobs", .async { try await submit($0) })
        router.get("/v1/jobs", .async { try await list($0) })
        router.get("/v1/jobs/{id}", .memoryFirst({ try showFromMemory($0) }, otherwise: { try await show($0) }))
        router.get("/v1/jobs/{id}/result", .async { try await result($0) })
        router.post("/v1/jobs/{id}/cancel", .async { try await cancel($0) })
        router.get("/v1/jobs/{id}/events", .async { try await events($0) })
    }

    private func submit(_ request: HTTPRequest) async throws -> HTTPResponse {
        let principal = try await authenticator.authenticate(request)
        let submitted = try await jobs.submit(
            body: request.body, principal: principal, idempotencyKey: request.headers["Idempotency-Key"])
        let job = submitted.job
        let location: HTTPHeaders = ["Location": "/v1/jobs/\(job.id)"]
        if submitted.replayed {
            var headers = location
            headers.add("Idempotent-Replayed", "true")
            return .json(job.json(), status: .ok, headers: headers)
        }
        if AcceptHeader.wantsEventStream(request.headers["Accept"]) {
            var response = stream(job.id, after: 0)
            response.headers.add("Location", "/v1/jobs/\(job.id)")
            return response
        }
        if let wait = PreferHeader.waitSeconds(
            request.headers.values("Prefer"), defaultSeconds: configuration.sync.defaultWaitSeconds,
            maximumSeconds: configuration.sync.maxWaitSeconds)
        {
            let final = try await JobWaiter(jobs: jobs).wait(for: job.id, principal: principal, seconds: wait)
            var headers = location
            headers.add("Preference-Applied", "wait=\(Int(wait))")
            return .json(final.json(), status: final.status.isTerminal ? .ok : .accepted, headers: headers)
        }
        return .json(job.json(), status: .accepted, headers: location)
    }

    /// A job read answered on the event loop: the job's rendering is cached and the caller's key is in memory.
    private func showFromMemory(_ request: HTTPRequest) throws -> HTTPResponse? {
        let id = request.pathParameters["id"]!
        guard let entry = readCache.entry(id), let principal = try authenticator.principalFromMemory(request) else {
            return nil
        }
        guard principal.canSee(team: entry.team) else { throw APIErrors.jobNotFound(id) }
        return .json(serialized: entry.body)
    }

    private func show(_ request: HTTPRequest) async throws -> HTTPResponse {
        let principal = try await authenticator.authenticate(request)
        let id = request.pathParameters["id"]!
        let ticket = readCache.ticket()
        let (job, history) = try await jobs.job(id, principal: principal)
        let body = job.json(history: history).serialized()
        readCache.store(id, JobReadCache.Entry(team: job.team, updatedAt: job.updatedAt, body: body), ticket: ticket)
        return .json(serialized: body)
    }

    private func list(_ request: HTTPRequest) async throws -> HTTPResponse {
        let principal = try await authenticator.authenticate(request)
        let filter = try JobListQuery.filter(from: request, principal: principal)
        let page = try await jobs.list(filter)
        return .json([
            "object": "list", "data": .array(page.jobs.map { $0.json() }),
            "next_cursor": page.nextCursor.map(JSONValue.string) ?? .null,
        ])
    }

    private func result(_ request: HTTPRequest) async throws -> HTTPResponse {
        let principal = try await authenticator.authenticate(request)
        let (job, _) = try await jobs.job(request.pathParameters["id"]!, principal: principal)
        guard job.status == .completed, let result = job.result else {
            var extra: JSONObject = ["status": .string(job.status.rawValue)]
            if let error = job.error { extra["job_error"] = error.json }
            throw HTTPError(
                .conflict, code: "not_completed",
                message: "Job \(job.id) is \(job.status.rawValue), not completed; it has no result.", extra: extra)
        }
        return .json(result)
    }

    private func cancel(_ request: HTTPRequest) async throws -> HTTPResponse {
        let principal = try await authenticator.authenticate(request)
        let job = try await cancellation.cancel(request.pathParameters["id"]!, principal: principal)
        return .json(job.json(), status: .accepted)
    }

    private func events(_ request: HTTPRequest) async throws -> HTTPResponse {
        let lastEventID = request.headers["Last-Event-ID"].flatMap { Int($0.trimmingCharacters(in: " ")) } ?? 0
        let principal = try await authenticator.authenticate(request)
        let (job, _) = try await jobs.job(request.pathParameters["id"]!, principal: principal)
        return stream(job.id, after: lastEventID)
    }

    private func stream(_ id: String, after lastEventID: Int) -> HTTPResponse {
        JobEventStream(
            jobID: id, lastEventID: lastEventID, store: jobs.store, hub: jobs.hub,
            keepAliveSeconds: configuration.http.eventStreamKeepAliveSeconds
        ).response()
    }
}
