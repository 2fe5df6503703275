import SpoolHTTP
import SpoolJSON

/// A Spool job as fal's queue describes a request: `IN_QUEUE` (queued, submitting or waiting at fal),
/// `IN_PROGRESS`, or `COMPLETED` for every end (a failed or cancelled job carries `error` and `error_type`).
enum FalQueueStatus {
    static func name(of status: JobStatus) -> String {
        switch status {
        case .queued, .submitting, .inQueue: return "IN_QUEUE"
        case .inProgress: return "IN_PROGRESS"
        case .completed, .failed, .cancelled: return "COMPLETED"
        }
    }

    /// fal's status object; `logs` is nil when the caller did not ask for them (the key is there, `null`).
    static func object(_ job: Job, logs: [JSONValue]?, urls: FalURLs) -> JSONValue {
        var object: JSONObject = ["status": .string(name(of: job.status)), "request_id": .string(job.id)]
        for (key, url) in urls.links(job.id, endpoint: job.falEndpoint) { object[key] = .string(url) }
        object["logs"] = logs.map(JSONValue.array) ?? .null
        switch job.status {
        case .queued, .submitting, .inQueue:
            object["queue_position"] = .integer(Int64(job.queuePosition ?? 0))
        case .inProgress:
            break
        case .completed, .failed, .cancelled:
            var metrics: JSONObject = [:]
            if let started = job.startedAt, let ended = job.completedAt {
                metrics["inference_time"] = .number(Double(ended.milliseconds - started.milliseconds) / 1000)
            }
            object["metrics"] = .object(metrics)
            if job.status != .completed, let error = job.error {
                object["error"] = .string(error.message)
                object["error_type"] = .string(error.code)
            }
        }
        return .object(object)
    }

    /// HTTP status of a status answer: 202 until the request is done, 200 after.
    static func httpStatus(of job: Job) -> HTTPStatus { job.status.isTerminal ? .ok : .accepted }

    /// What `GET …/requests/{id}` answers for a job: its output, or the failure as fal reports a failed run.
    static func result(_ job: Job) -> HTTPResponse {
        let idHeader: HTTPHeaders = ["x-fal-request-id": job.id]
        var failure: FalSurfaceError
        switch job.status {
        case .completed:
            return .json(job.result ?? .null, headers: idHeader)
        case .queued, .submitting, .inQueue, .inProgress:
            failure = .detail(.badRequest, "Request \(job.id) is still in progress; its result is not ready.")
        case .failed, .cancelled:
            failure = failedResult(job.error ?? JobError(code: JobError.upstreamError, message: "The request failed."))
        }
        failure.headers.add("x-fal-request-id", job.id)
        return failure.response
    }

    private static func failedResult(_ error: JobError) -> FalSurfaceError {
        switch error.code {
        case JobError.upstreamValidation:
            // fal's own 422 body, kept as the job's error detail.
            if let detail = error.detail, detail["detail"] != nil {
                return FalSurfaceError(status: .unprocessableEntity, body: detail)
            }
            return FalSurfaceError(status: .unprocessableEntity, body: ["detail": error.detail ?? .string(error.message)])
        case JobError.deadlineExceeded:
            return .detail(.gatewayTimeout, error.message, errorType: "request_timeout")
        case JobError.cancelled:
            return .detail(.badRequest, error.message, errorType: "cancelled")
        default:
            return .detail(.internalServerError, error.message, errorType: error.code)
        }
    }
}
