import SpoolHTTP
import Synchronization

/// The requests whose payloads were deleted through fal's platform API: their result and output file answer
/// 404 from then on, as fal's do.
final class DeletedPayloads: Sendable {
    private let ids = Mutex<Set<String>>([])

    func insert(_ id: String) { _ = ids.withLock { $0.insert(id) } }
    func contains(_ id: String) -> Bool { ids.withLock { $0.contains(id) } }
}

extension SimContext {
    /// `DELETE /v1/models/requests/{id}/payloads` (fal's platform API, `api.fal.ai`): deletes the stored input,
    /// output and output files of a finished request. 200 `{"status": "deleted"}`; 404 for an unknown request;
    /// 400 while it still runs. Recorded like queue calls, so tests can see that it was asked.
    func deletePayloads(_ request: HTTPRequest) -> HTTPResponse {
        recorder.record(request)
        if let failure = authorizationFailure(request) { return failure }
        guard let id = request.pathParameters["id"], let snapshot = queue.snapshot(id) else {
            return SimContext.answer(["detail": "Request not found"], .notFound)
        }
        guard case .completed = snapshot.request.phase else {
            return SimContext.answer(["detail": "Request is still in progress"], .badRequest)
        }
        deletedPayloads.insert(id)
        logger.info("payloads deleted", metadata: ["request_id": .string(id)])
        return SimContext.answer(["status": "deleted", "request_id": .string(id)], .ok)
    }
}
