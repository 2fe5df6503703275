import SpoolHTTP
import SpoolJSON

/// The four queue operations: submit, status, result and cancel, answered as fal answers them.
extension SimContext {
    /// The path's segments as sent (percent-encoding kept), so that URLs handed out match the ones received.
    static func segments(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }

    /// `POST /{endpoint}`: checks that the endpoint exists and the input is valid, queues a request, then
    /// (after `submitDelaySeconds`) answers with its URLs and queue position.
    func submit(_ request: HTTPRequest) async throws -> HTTPResponse {
        let endpoint = SimContext.segments(request.path).joined(separator: "/")
        guard configuration.serves(endpoint) else {
            logger.info("submit to an unknown endpoint", metadata: ["endpoint": .string(endpoint)])
            return SimContext.answer(["detail": .string("Application '\(endpoint)' not found")], .notFound)
        }
        let issues = InputValidator.issues(endpoint: endpoint, body: request.body)
        guard issues.isEmpty else {
            logger.info("submit rejected", metadata: ["endpoint": .string(endpoint), "issues": .stringConvertible(issues.count)])
            return SimContext.answer(["detail": .array(issues)], .unprocessableEntity)
        }
        let snapshot = queue.submit(SubmitTerms(request, endpoint: endpoint))
        logger.info("request submitted", metadata: [
            "request_id": .string(snapshot.request.id), "endpoint": .string(endpoint),
            "served_from": .string(snapshot.request.servedFrom), "queue_position": .stringConvertible(snapshot.position ?? 0),
        ])
        if configuration.submitDelaySeconds > 0 { try await Task.sleep(for: .seconds(configuration.submitDelaySeconds)) }
        return SimContext.answer(documents.submitAnswer(snapshot), .ok, headers: ["X-Fal-Request-Id": snapshot.request.id])
    }

    /// The headers of every answer about a submitted request: `X-Fal-Served-From`, and once it completed
    /// successfully `X-Fal-Billable-Units`.
    static func requestHeaders(_ request: EmulatedRequest) -> HTTPHeaders {
        var headers: HTTPHeaders = ["X-Fal-Served-From": request.servedFrom]
        if case .completed(_, _, .succeeded) = request.phase {
            headers.set("X-Fal-Billable-Units", String(request.videoSeconds))
        }
        return headers
    }

    /// The request named by the `{owner}/{app}/requests/{id}` prefix of the path, when the app matches.
    func lookUp(_ request: HTTPRequest) -> RequestSnapshot? {
        let parts = SimContext.segments(request.path)
        guard parts.count >= 4, let id = request.pathParameters["id"], let snapshot = queue.snapshot(id),
              snapshot.request.app == parts.prefix(2).joined(separator: "/")
        else { return nil }
        return snapshot
    }

    /// Whether the query asks for logs: `logs=1` or `logs=true`.
    static func wantsLogs(_ request: HTTPRequest) -> Bool {
        guard let value = request.queryValue("logs")?.lowercased() else { return false }
        return value == "1" || value == "true"
    }

    /// `GET /{owner}/{app}/requests/{id}/status`.
    func status(_ request: HTTPRequest) -> HTTPResponse {
        guard let snapshot = lookUp(request) else { return SimContext.answer(FalDocuments.requestNotFound, .notFound) }
        let document = documents.status(snapshot, withLogs: SimContext.wantsLogs(request))
        return SimContext.answer(document.body, document.status, headers: SimContext.requestHeaders(snapshot.request))
    }

    /// `GET /{owner}/{app}/requests/{id}`: the output once completed (with `x-fal-request-id`), the model's
    /// error for a failed run, 400 before completion, 404 once an unstored payload has expired; a successful
    /// run's result may be answered a plain 500 (`resultFailuresPerRequest`, `resultFailureRate`).
    func result(_ request: HTTPRequest) -> HTTPResponse {
        guard let snapshot = lookUp(request) else { return SimContext.answer(FalDocuments.requestNotFound, .notFound) }
        let emulated = snapshot.request
        var headers = SimContext.requestHeaders(emulated)
        headers.set("x-fal-request-id", emulated.id)
        let body: JSONValue, status: HTTPStatus
        switch emulated.phase {
        case .queued, .running:
            return SimContext.answer(["detail": "Request is still in progress"], .badRequest, headers: headers)
        case .completed(_, _, .succeeded):
            (body, status) = (documents.output(emulated), .ok)
        case .completed(_, _, .failed(let failure)):
            (body, status) = (failure.body, HTTPStatus(code: failure.statusCode))
            for (name, value) in failure.headers { headers.set(name, value) }
        }
        if payloadExpired(emulated, body: body, now: snapshot.takenAt) || deletedPayloads.contains(emulated.id) {
            return SimContext.answer(FalDocuments.payloadExpired, .notFound, headers: headers)
        }
        if status == .ok, faults.resultFetchFails(emulated.id) {
            logger.info("injected plain 500 on a result", metadata: ["request_id": .string(emulated.id)])
            return .text("Internal Server Error", status: .internalServerError)
        }
        return SimContext.answer(body, status, headers: headers)
    }

    /// Whether the result of a request submitted with `X-Fal-Store-IO: 0` is gone: `unstoredResultSeconds`
    /// after its end, `unstoredLargeResultSeconds` when `body` is at least `unstoredLargeResultBytes` long.
    private func payloadExpired(_ request: EmulatedRequest, body: JSONValue, now: Double) -> Bool {
        guard !request.storesPayloads, case .completed(_, let endedAt, _) = request.phase else { return false }
        let large = body.serialized().count >= configuration.unstoredLargeResultBytes
        let kept = large ? configuration.unstoredLargeResultSeconds : configuration.unstoredResultSeconds
        return now - endedAt >= kept
    }

    /// `PUT /{owner}/{app}/requests/{id}/cancel`.
    func cancel(_ request: HTTPRequest) -> HTTPResponse {
        guard lookUp(request) != nil, let id = request.pathParameters["id"] else {
            return SimContext.answer(["status": "NOT_FOUND"], .notFound)
        }
        switch queue.cancel(id) {
        case .cancelled:
            logger.info("request cancelled", metadata: ["request_id": .string(id)])
            return SimContext.answer(["status": faults.cancelAnswersOK() ? "OK" : "CANCELLATION_REQUESTED"], .accepted)
        case .alreadyCompleted:
            return SimContext.answer(["status": "ALREADY_COMPLETED"], .badRequest)
        case .notFound:
            return SimContext.answer(["status": "NOT_FOUND"], .notFound)
        }
    }
}
