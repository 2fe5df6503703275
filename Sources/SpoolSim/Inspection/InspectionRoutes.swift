import SpoolHTTP
import SpoolJSON

/// The emulator's own routes: the webhook JWKS, and `/_sim/…` for tests to see what it received and holds.
extension SimContext {
    /// `GET /.well-known/jwks.json`.
    func jwks(_ request: HTTPRequest) -> HTTPResponse {
        SimContext.answer(signer.jwks, .ok)
    }

    /// `GET /_sim/requests`: every request received, oldest first.
    func listRecorded(_ request: HTTPRequest) -> HTTPResponse {
        SimContext.answer(.array(recorder.all().map(\.json)), .ok)
    }

    /// `DELETE /_sim/requests`.
    func clearRecorded(_ request: HTTPRequest) -> HTTPResponse {
        recorder.clear()
        return HTTPResponse(status: .noContent)
    }

    /// `GET /_sim/state`: `{"requests": [...], "queued", "running", "completed"}`, requests in submission order.
    func state(_ request: HTTPRequest) -> HTTPResponse {
        var counts: [String: Int64] = ["IN_QUEUE": 0, "IN_PROGRESS": 0, "COMPLETED": 0]
        let entries = queue.allSnapshots().map { snapshot -> JSONValue in
            counts[snapshot.request.statusName, default: 0] += 1
            return stateEntry(snapshot)
        }
        return SimContext.answer([
            "requests": .array(entries), "queued": .integer(counts["IN_QUEUE"]!),
            "running": .integer(counts["IN_PROGRESS"]!), "completed": .integer(counts["COMPLETED"]!),
        ], .ok)
    }

    private func stateEntry(_ snapshot: RequestSnapshot) -> JSONValue {
        let request = snapshot.request
        let clock = queue.clock
        func time(_ value: Double?) -> JSONValue {
            value.map { .string(SimClock.rfc3339(unixTime: clock.unixTime(at: $0))) } ?? .null
        }
        var object: JSONObject = [
            "request_id": .string(request.id), "endpoint": .string(request.endpoint), "status": .string(request.statusName),
            "queue_position": snapshot.position.map { .integer(Int64($0)) } ?? .null,
            "submitted_at": time(request.submittedAt),
        ]
        switch request.phase {
        case .queued:
            break
        case .running(let startedAt):
            object["started_at"] = time(startedAt)
        case .completed(let startedAt, let endedAt, let outcome):
            object["started_at"] = time(startedAt)
            object["ended_at"] = time(endedAt)
            switch outcome {
            case .succeeded: object["outcome"] = "succeeded"
            case .failed(let failure):
                object["outcome"] = failure == .cancelled ? "cancelled" : "failed"
                object["error_type"] = .string(failure.errorType)
            }
        }
        if let url = request.webhookURL {
            let progress = webhooks.progress(of: request.id)
            object["webhook"] = [
                "url": .string(url), "attempts": .integer(Int64(progress?.attempts ?? 0)),
                "delivered": .bool(progress?.delivered ?? false),
                "last_result": progress?.lastResult.map(JSONValue.string) ?? .null,
            ]
        }
        return .object(object)
    }
}
