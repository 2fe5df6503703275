import SpoolHTTP
import SpoolJSON

/// The four queue operations: submit, status, result and cancel, answered as fal answers them.
extension SimContext {
    /// The path's segments as sent (percent-encoding kept), so that URLs handed out match the ones received.
    static func segments(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }

    /// `POST /{endpoint}`: validates the input, queues a request, answers with its URLs and queue position.
    func submit(_ request: HTTPRequest) -> HTTPResponse {
        let parts = SimContext.segments(request.path)
        let endpoint = parts.joined(separator: "/")
        let app = parts.prefix(2).joined(separator: "/")
        let issues = InputValidator.issues(endpoint: endpoint, body: request.body)
        guard issues.isEmpty else {
            logger.info("submit rejected", metadata: ["endpoint": .string(endpoint), "issues": .stringConvertible(issues.count)])
            return SimContext.answer(["detail": .array(issues)], .unprocessableEntity)
        }
        let webhook = request.queryValue("fal_webhook").flatMap { $0.isEmpty ? nil : $0 }
        let snapshot = queue.submit(endpoint: endpoint, app: app, webhookURL: webhook)
        logger.info("request submitted", metadata: [
            "request_id": .string(snapshot.request.id), "endpoint": .string(endpoint),
            "queue_position": .stringConvertible(snapshot.position ?? 0),
        ])
        return SimContext.answer(documents.submitAnswer(snapshot), .ok, headers: ["X-Fal-Request-Id": snapshot.request.id])
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
        return SimContext.answer(document.body, document.status)
    }

    /// `GET /{owner}/{app}/requests/{id}`: the output once completed, the model's error for a failed run,
    /// 400 before completion.
    func result(_ request: HTTPRequest) -> HTTPResponse {
        guard let snapshot = lookUp(request) else { return SimContext.answer(FalDocuments.requestNotFound, .notFound) }
        switch snapshot.request.phase {
        case .queued, .running:
            return SimContext.answer(["detail": "Request is still in progress"], .badRequest)
        case .completed(_, _, .succeeded):
            return SimContext.answer(documents.output(snapshot.request.id), .ok)
        case .completed(_, _, .failed(let failure)):
            return SimContext.answer(failure.body, HTTPStatus(code: failure.statusCode))
        }
    }

    /// `PUT /{owner}/{app}/requests/{id}/cancel`.
    func cancel(_ request: HTTPRequest) -> HTTPResponse {
        guard lookUp(request) != nil, let id = request.pathParameters["id"] else {
            return SimContext.answer(["status": "NOT_FOUND"], .notFound)
        }
        switch queue.cancel(id) {
        case .cancelled:
            logger.info("request cancelled", metadata: ["request_id": .string(id)])
            return SimContext.answer(["status": "CANCELLATION_REQUESTED"], .accepted)
        case .alreadyCompleted:
            return SimContext.answer(["status": "ALREADY_COMPLETED"], .badRequest)
        case .notFound:
            return SimContext.answer(["status": "NOT_FOUND"], .notFound)
        }
    }
}
