import SpoolHTTP
import SpoolJSON

/// The JSON documents the emulator answers with, in fal's shapes (`shared/spec/FAL.md`).
struct FalDocuments: Sendable {
    /// The base of every URL handed out, without a trailing slash.
    let baseURL: String
    let clock: SimClock
    let logInterval: Double
    /// `outputFileBytes`: the size of every output file when set.
    let outputFileBytes: Int?
    /// `videoFollowsDuration`: whether a video lasts its job's duration.
    let videoFollowsDuration: Bool

    /// `{base}/{app}/requests/{id}`: the result URL, and the stem of the status and cancel URLs.
    func responseURL(_ request: EmulatedRequest) -> String { "\(baseURL)/\(request.app)/requests/\(request.id)" }

    /// The URL of a request's video.
    func videoURL(_ id: String) -> String { "\(baseURL)/files/\(id)/\(SampleVideo.fileName)" }

    private func urls(_ request: EmulatedRequest) -> [(String, JSONValue)] {
        let response = responseURL(request)
        return [
            ("response_url", .string(response)), ("status_url", .string(response + "/status")),
            ("cancel_url", .string(response + "/cancel")),
        ]
    }

    /// The answer to a submit: always `IN_QUEUE`, as fal's is, even when a free slot lets the run start at once.
    func submitAnswer(_ snapshot: RequestSnapshot) -> JSONValue {
        let request = snapshot.request
        var object: JSONObject = ["status": "IN_QUEUE", "request_id": .string(request.id)]
        for (key, value) in urls(request) { object[key] = value }
        object["queue_position"] = .integer(Int64(snapshot.position ?? 0))
        object["gateway_request_id"] = .string(request.id)
        return .object(object)
    }

    /// The status document and its HTTP status: 202 while queued or running, 200 once completed.
    func status(_ snapshot: RequestSnapshot, withLogs: Bool) -> (status: HTTPStatus, body: JSONValue) {
        let request = snapshot.request
        var object: JSONObject = ["status": .string(request.statusName), "request_id": .string(request.id)]
        for (key, value) in urls(request) { object[key] = value }
        if let position = snapshot.position { object["queue_position"] = .integer(Int64(position)) }
        object["logs"] = withLogs ? .array(logs(request, now: snapshot.takenAt)) : .null
        guard case .completed(let startedAt, let endedAt, let outcome) = request.phase else {
            return (.accepted, .object(object))
        }
        var metrics = JSONObject()
        if let startedAt { metrics["inference_time"] = .number(((endedAt - startedAt) * 1000).rounded() / 1000) }
        object["metrics"] = .object(metrics)
        if case .failed(let failure) = outcome {
            object["error"] = .string(failure.error)
            object["error_type"] = .string(failure.errorType)
        }
        return (.ok, .object(object))
    }

    private func logs(_ request: EmulatedRequest, now: Double) -> [JSONValue] {
        let lines = request.logLines(now: now, logInterval: logInterval)
        var failed = false
        if case .completed(_, _, .failed) = request.phase { failed = true }
        return lines.enumerated().map { index, line in
            let level = failed && index == lines.count - 1 ? "ERROR" : "INFO"
            return [
                "message": .string(line.message), "level": .string(level), "source": "user",
                "timestamp": .string(SimClock.rfc3339(unixTime: clock.unixTime(at: line.at))),
            ]
        }
    }

    /// A successful run's output.
    func output(_ request: EmulatedRequest) -> JSONValue {
        let size = OutputFile(for: request, size: outputFileBytes, followsDuration: videoFollowsDuration).size
        return [
            "video": [
                "url": .string(videoURL(request.id)), "content_type": .string(SampleVideo.contentType),
                "file_name": .string(SampleVideo.fileName), "file_size": .integer(Int64(size)),
            ],
        ]
    }

    /// The body of the webhook sent when `request` ended.
    func webhookBody(_ request: EmulatedRequest) -> JSONValue {
        var object: JSONObject = ["request_id": .string(request.id), "gateway_request_id": .string(request.id)]
        switch request.phase {
        case .completed(_, _, .failed(let failure)):
            object["status"] = "ERROR"
            object["error"] = .string("Invalid status code: \(failure.statusCode)")
            object["payload"] = failure.body
        default:
            object["status"] = "OK"
            object["payload"] = output(request)
        }
        return .object(object)
    }

    /// fal's answer to an unknown request id on the status and result routes.
    static let requestNotFound: JSONValue = ["detail": "Request not found"]

    /// The result route's answer once an unstored (`X-Fal-Store-IO: 0`) payload is gone (inferred wording).
    static let payloadExpired: JSONValue = ["detail": "Request payload has expired: it was not stored (X-Fal-Store-IO: 0)"]
}
