import SpoolHTTP
import SpoolJSON

/// The fal queue operations on Spool's jobs: the request id fal's clients see is the Spool job id, so a job
/// submitted here is in `GET /v1/jobs` of the key's team, counts against its quota and budget, and fires its
/// webhooks like any other.
struct FalQueueHandlers: Sendable {
    let jobs: JobService
    let cancellation: JobCancellation
    let board: FalRequestBoard
    let configuration: SpoolConfiguration

    /// `POST /{endpoint}`: the body is the model's input (fal's or Spool's field names); `?fal_webhook=` becomes
    /// the job's Spool webhook; fal's `X-Fal-*` headers are read by `FalRequestHeaders`. An endpoint outside the
    /// catalog is 404 unless `fal_surface.passthrough_endpoints` names it (`FalPassthrough`). With `waits` (the
    /// run host) the answer is the result, once the job ends or the sync wait runs out.
    func submit(
        _ endpoint: String, request: HTTPRequest, principal: Principal, urls: FalURLs, waits: Bool
    ) async throws -> HTTPResponse {
        let model = jobs.catalog.models.first(where: { $0.falEndpoint == endpoint || $0.id == endpoint })
        let passthrough = model == nil && configuration.falSurface.passthroughEndpoints.contains(endpoint)
        guard model != nil || passthrough else { throw FalSurfaceError.endpointNotFound(endpoint) }
        let input: JSONValue
        do { input = request.body.isEmpty ? .object([:]) : try JSONValue(parsing: request.body) } catch {
            throw FalSurfaceError.validation(
                [FalSurfaceError.validationEntry(loc: ["body"], message: "The body is not valid JSON: \(error).", type: "json_invalid")])
        }
        guard input.objectValue != nil else {
            throw FalSurfaceError.validation(
                [FalSurfaceError.validationEntry(loc: ["body"], message: "The input must be a JSON object.", type: "dict_type")])
        }
        let cancels = configuration.teams.limits(for: principal.team).falSurfaceCancels
        let headers = try FalRequestHeaders.read(request, takesDeadline: cancels != .ignore)
        let webhook = request.queryValue("fal_webhook")
        let job: Job
        if let model {
            var envelope: JSONObject = [
                "model": .string(model.id), "input": input, "priority": .integer(Int64(headers.priority)),
            ]
            if let webhook { envelope["webhook_url"] = .string(webhook) }
            if let seconds = headers.deadlineSeconds { envelope["deadline_seconds"] = .number(seconds) }
            job = try await jobs.submit(
                body: JSONValue.object(envelope).serialized(), principal: principal, idempotencyKey: nil,
                falOptions: headers.options).job
        } else {
            if let webhook, case .failure(let problem) = jobs.webhookPolicy.check(webhook) {
                throw FalSurfaceError.validation(
                    [FalSurfaceError.validationEntry(loc: ["query", "fal_webhook"], message: problem.message)])
            }
            let new = FalPassthrough.newJob(
                endpoint: endpoint, input: input, headers: headers, webhookURL: webhook, team: principal.team)
            job = try await jobs.store(new, principal: principal, idempotency: nil).job
        }
        board.follow(job)
        if waits {
            let final = try await JobWaiter(jobs: jobs).wait(
                for: job.id, principal: principal, seconds: configuration.sync.maxWaitSeconds)
            guard final.status.isTerminal else {
                var failure = FalSurfaceError.detail(
                    .gatewayTimeout, "Request \(job.id) did not finish within \(Int(configuration.sync.maxWaitSeconds)) s; "
                        + "it goes on: follow it on the queue.", errorType: "request_timeout")
                failure.headers.add("x-fal-request-id", job.id)
                throw failure
            }
            return FalQueueStatus.result(final)
        }
        var answer: JSONObject = ["status": "IN_QUEUE", "request_id": .string(job.id)]
        for (key, url) in urls.links(job.id, endpoint: job.falEndpoint) { answer[key] = .string(url) }
        answer["queue_position"] = 0
        return .json(.object(answer), headers: ["x-fal-request-id": job.id])
    }

    /// `GET …/requests/{id}/status`: from the board when the job is followed, from the database otherwise.
    func status(_ id: String, withLogs: Bool, principal: Principal, urls: FalURLs) async throws -> HTTPResponse {
        let (job, logs) = try await current(id, principal: principal)
        return .json(FalQueueStatus.object(job, logs: withLogs ? logs : nil, urls: urls), status: FalQueueStatus.httpStatus(of: job))
    }

    /// `GET …/requests/{id}/status/stream`.
    func statusStream(_ id: String, withLogs: Bool, principal: Principal, urls: FalURLs) async throws -> HTTPResponse {
        _ = try await current(id, principal: principal)
        return FalStatusStream(
            requestID: id, withLogs: withLogs, urls: urls, board: board, hub: jobs.hub,
            keepAliveSeconds: configuration.http.eventStreamKeepAliveSeconds
        ).response()
    }

    /// `GET …/requests/{id}`: the output with `x-fal-request-id`, or the failure as fal answers it.
    func result(_ id: String, principal: Principal) async throws -> HTTPResponse {
        let (job, _) = try await current(id, principal: principal)
        guard job.status.isTerminal else { return FalQueueStatus.result(job) }
        // The result itself is only in the database.
        return FalQueueStatus.result(try await stored(id, principal: principal).0)
    }

    /// `PUT …/requests/{id}/cancel`: 202 `CANCELLATION_REQUESTED`, 400 `ALREADY_COMPLETED`, 404 `NOT_FOUND`.
    /// fal's clients send the same cancel when their own timeout ends (`subscribe(client_timeout=)`) as when
    /// asked to cancel, so the job's team decides (`fal_surface_cancels`): `honour` cancels the job; `ignore`
    /// answers 202 as fal does for a running request that may still finish, and the job runs on.
    func cancel(_ id: String, principal: Principal) async throws -> HTTPResponse {
        let notFound = FalSurfaceError(status: .notFound, body: ["status": "NOT_FOUND", "detail": .string("Request \(id) not found.")])
        let alreadyCompleted = FalSurfaceError(status: .badRequest, body: ["status": "ALREADY_COMPLETED"])
        let job: Job
        do {
            job = try await current(id, principal: principal).0
        } catch let error as FalSurfaceError where error.status == .notFound {
            throw notFound
        }
        if job.status.isTerminal { throw alreadyCompleted }
        if configuration.teams.limits(for: job.team).falSurfaceCancels == .ignore {
            jobs.logger.info(
                "fal surface cancel ignored by the team's setting", metadata: ["job_id": "\(id)", "team": "\(job.team)"])
            return .json(["status": "CANCELLATION_REQUESTED"], status: .accepted)
        }
        do {
            _ = try await cancellation.cancel(id, principal: principal)
        } catch {
            switch error {
            case .jobNotFound: throw notFound
            case .alreadyTerminal, .finishedAtFal: throw alreadyCompleted
            default: throw error
            }
        }
        return .json(["status": "CANCELLATION_REQUESTED"], status: .accepted)
    }

    /// The job as the board has it (with its log lines), or read and then followed. A job read from the
    /// database (after a restart, or ended long ago) starts with its history as log lines.
    private func current(_ id: String, principal: Principal) async throws -> (Job, [JSONValue]) {
        if let entry = board.entry(id) {
            guard principal.canSee(team: entry.job.team) else { throw FalSurfaceError.requestNotFound(id) }
            return (entry.job, entry.logs)
        }
        let (job, history) = try await stored(id, principal: principal)
        let logs = history.map(FalHistoryLog.line)
        board.follow(job, logs: logs)
        return (job, logs)
    }

    private func stored(_ id: String, principal: Principal) async throws -> (Job, [JobEvent]) {
        do { return try await jobs.job(id, principal: principal) } catch {
            if case .jobNotFound = error { throw FalSurfaceError.requestNotFound(id) }
            throw error
        }
    }
}
