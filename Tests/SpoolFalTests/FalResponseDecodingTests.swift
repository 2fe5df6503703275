import Foundation
import SpoolJSON
import Testing
@testable import SpoolFal

@Suite("Decoding fal's queue answers")
struct FalResponseDecodingTests {
    let now = Date(timeIntervalSince1970: 1_700_000_000)

    func answer(_ status: Int, _ body: String, _ headers: HTTPClientHeaders = []) -> HTTPClientResponse {
        HTTPClientResponse(status: status, headers: headers, body: Array(body.utf8))
    }

    @Test("a submit answer yields the request id, the three URLs and the queue position")
    func submission() throws {
        let body = #"{"status":"IN_QUEUE","request_id":"r-1","gateway_request_id":"g-1","queue_position":3,"#
            + #""response_url":"https://q/fal-ai/kling-video/requests/r-1","#
            + #""status_url":"https://q/fal-ai/kling-video/requests/r-1/status","#
            + #""cancel_url":"https://q/fal-ai/kling-video/requests/r-1/cancel"}"#
        let submission = try FalResponseDecoding.submission(from: answer(200, body), now: now)
        #expect(submission == FalSubmission(
            requestID: "r-1", gatewayRequestID: "g-1", statusURL: "https://q/fal-ai/kling-video/requests/r-1/status",
            responseURL: "https://q/fal-ai/kling-video/requests/r-1",
            cancelURL: "https://q/fal-ai/kling-video/requests/r-1/cancel", queuePosition: 3))
    }

    @Test("billable units and the serving endpoint are read from the headers; a units value that is no number is ignored")
    func reportHeaders() {
        let headers: HTTPClientHeaders = [("x-fal-billable-units", " 7.5 "), ("X-FAL-SERVED-FROM", "fal-ai/other")]
        #expect(FalReport(headers: headers) == FalReport(billableUnits: 7.5, servedFrom: "fal-ai/other"))
        #expect(FalReport(headers: [("X-Fal-Billable-Units", "lots"), ("X-Fal-Served-From", "")]).isEmpty)
        #expect(FalReport(headers: [("X-Fal-Billable-Units", "-1")]).isEmpty)
    }

    @Test("a submit answer missing a URL is unexpected")
    func submissionMissingURL() {
        let body = #"{"request_id":"r-1","response_url":"a","status_url":"b"}"#
        #expect {
            _ = try FalResponseDecoding.submission(from: answer(200, body), now: now)
        } throws: { error in
            if case .unexpected(200, _) = error as? FalError { return true }
            return false
        }
    }

    @Test("statuses: queued with a position, running with logs, completed with metrics or an error")
    func statuses() throws {
        #expect(try FalResponseDecoding.status(
            from: answer(202, #"{"status":"IN_QUEUE","queue_position":2,"logs":null}"#), now: now)
            == .inQueue(position: 2))
        let running = #"{"status":"IN_PROGRESS","logs":[{"message":"step 1","level":"INFO","source":"user","#
            + #""timestamp":"2026-11-01T10:00:00Z"},{"level":"INFO"}]}"#
        #expect(try FalResponseDecoding.status(from: answer(202, running), now: now)
            == .inProgress(logs: [FalLog(message: "step 1", level: "INFO", source: "user",
                                         timestamp: "2026-11-01T10:00:00Z")]))
        let done = #"{"status":"COMPLETED","logs":null,"metrics":{"inference_time":41.5}}"#
        #expect(try FalResponseDecoding.status(from: answer(200, done), now: now)
            == .completed(logs: [], metrics: ["inference_time": 41.5], error: nil, errorType: nil))
        #expect(try FalResponseDecoding.status(from: answer(200, #"{"status":"COMPLETED","logs":null,"metrics":null}"#),
                                               now: now)
            == .completed(logs: [], metrics: nil, error: nil, errorType: nil))
        let failed = #"{"status":"COMPLETED","logs":[],"error":"Request timed out","error_type":"request_timeout"}"#
        let status = try FalResponseDecoding.status(from: answer(200, failed), now: now)
        #expect(status == .completed(logs: [], metrics: nil, error: "Request timed out", errorType: "request_timeout"))
        #expect(status.runFailure == .runFailed(status: nil, errorType: "request_timeout",
                                                detail: "Request timed out", message: "Request timed out"))
    }

    @Test("an unknown status is unexpected")
    func unknownStatus() {
        #expect {
            _ = try FalResponseDecoding.status(from: answer(200, #"{"status":"PAUSED"}"#), now: now)
        } throws: { error in
            if case .unexpected = error as? FalError { return true }
            return false
        }
    }

    @Test("422 keeps fal's detail whole, list or string, and the retryable header")
    func inputRejected() {
        let list = #"{"detail":[{"loc":["body","prompt"],"msg":"field required","type":"missing"}]}"#
        let error = FalResponseDecoding.error(from: answer(422, list, [("X-Fal-Retryable", "false")]), now: now)
        let detail: JSONValue = [["loc": ["body", "prompt"], "msg": "field required", "type": "missing"]]
        #expect(error == .inputRejected(status: 422, detail: detail, retryable: false))
        #expect(FalResponseDecoding.error(from: answer(422, #"{"detail":"prompt too long"}"#), now: now)
            == .inputRejected(status: 422, detail: "prompt too long", retryable: nil))
    }

    @Test("401, 403 and 404 are authentication and not-found errors")
    func authenticationAndNotFound() {
        #expect(FalResponseDecoding.error(from: answer(401, #"{"detail":"Invalid key"}"#), now: now)
            == .authentication(status: 401, message: "Invalid key"))
        #expect(FalResponseDecoding.error(from: answer(403, ""), now: now)
            == .authentication(status: 403, message: "HTTP 403"))
        #expect(FalResponseDecoding.error(from: answer(404, #"{"detail":"Request not found"}"#), now: now)
            == .notFound(message: "Request not found"))
    }

    @Test("429 and 5xx are transient, with Retry-After and fal's error type from header or body")
    func transient() {
        let limited = FalResponseDecoding.error(from: answer(429, "{}", [("Retry-After", "7")]), now: now)
        #expect(limited == .transient(status: 429, errorType: nil, retryAfterSeconds: 7, retryable: nil, message: "{}"))
        let timeout = FalResponseDecoding.error(
            from: answer(504, #"{"detail":"Request timed out","error_type":"request_timeout"}"#), now: now)
        #expect(timeout == .transient(status: 504, errorType: "request_timeout", retryAfterSeconds: nil,
                                      retryable: nil, message: "Request timed out"))
        let runner = FalResponseDecoding.error(
            from: answer(503, "<html>busy</html>", [("X-Fal-Error-Type", "runner_unavailable"), ("X-Fal-Retryable", "true")]),
            now: now)
        #expect(runner == .transient(status: 503, errorType: "runner_unavailable", retryAfterSeconds: nil,
                                     retryable: true, message: "<html>busy</html>"))
        #expect(runner.isTransient)
    }

    @Test("a 504 for the caller's own request timeout is a request_timeout even without fal's error type")
    func userRequestTimeout() {
        let timeout = FalResponseDecoding.error(
            from: answer(504, #"{"detail":"Request timed out"}"#, [("X-Fal-Request-Timeout-Type", "user")]), now: now)
        #expect(timeout == .transient(status: 504, errorType: "request_timeout", retryAfterSeconds: nil,
                                      retryable: nil, message: "Request timed out"))
    }

    @Test("other statuses and non-JSON success bodies are unexpected")
    func unexpected() {
        #expect(FalResponseDecoding.error(from: answer(418, "teapot"), now: now)
            == .unexpected(status: 418, message: "teapot"))
        #expect {
            _ = try FalResponseDecoding.status(from: answer(200, "<html>"), now: now)
        } throws: { error in
            if case .unexpected(200, _) = error as? FalError { return true }
            return false
        }
    }

    @Test("a result is the output; a failed run's error status is the run's failure")
    func results() throws {
        let output = #"{"video":{"url":"https://v3b.fal.media/files/x/output.mp4","content_type":"video/mp4"}}"#
        #expect(try FalResponseDecoding.result(from: answer(200, output), now: now)["video"]?["content_type"] == "video/mp4")
        #expect {
            _ = try FalResponseDecoding.result(from: answer(500, #"{"detail":"CUDA out of memory"}"#), now: now)
        } throws: { error in
            error as? FalError == .runFailed(status: 500, errorType: nil, detail: "CUDA out of memory",
                                             message: "CUDA out of memory")
        }
        #expect {
            _ = try FalResponseDecoding.result(from: answer(502, "Bad Gateway"), now: now)
        } throws: { error in (error as? FalError)?.isTransient == true }
        // A platform error in JSON (fal marks it with X-Fal-Error-Type) is not the run's failure.
        #expect {
            _ = try FalResponseDecoding.result(
                from: answer(503, #"{"detail":"Runner failed","error_type":"runner_scheduling_failure"}"#,
                             [("X-Fal-Error-Type", "runner_scheduling_failure")]), now: now)
        } throws: { error in (error as? FalError)?.isTransient == true }
        #expect {
            _ = try FalResponseDecoding.result(from: answer(422, #"{"detail":"content policy"}"#), now: now)
        } throws: { error in
            error as? FalError == .inputRejected(status: 422, detail: "content policy", retryable: nil)
        }
    }

    @Test("cancel answers: requested (CANCELLATION_REQUESTED or OK, whatever the status), already completed, not found, or an error")
    func cancelOutcomes() throws {
        #expect(try FalResponseDecoding.cancelOutcome(
            from: answer(202, #"{"status":"CANCELLATION_REQUESTED"}"#), now: now) == .cancellationRequested)
        #expect(try FalResponseDecoding.cancelOutcome(from: answer(200, #"{"status":"OK"}"#), now: now) == .cancellationRequested)
        #expect(try FalResponseDecoding.cancelOutcome(from: answer(400, #"{"status":"OK"}"#), now: now) == .cancellationRequested)
        #expect(try FalResponseDecoding.cancelOutcome(
            from: answer(400, #"{"status":"ALREADY_COMPLETED"}"#), now: now) == .alreadyCompleted)
        #expect(try FalResponseDecoding.cancelOutcome(
            from: answer(404, #"{"status":"NOT_FOUND"}"#), now: now) == .notFound)
        #expect(throws: FalError.authentication(status: 401, message: "bad key")) {
            _ = try FalResponseDecoding.cancelOutcome(from: answer(401, #"{"detail":"bad key"}"#), now: now)
        }
    }

    @Test("transport failures map to unreachable, transient or cancelled")
    func transportFailures() {
        #expect(FalError(transportFailure: HTTPClientError.connectFailed(code: 7, message: "refused"))
            == .unreachable(message: "refused"))
        #expect(FalError(transportFailure: HTTPClientError.timedOut(message: "slow"))
            == .transient(status: nil, errorType: nil, retryAfterSeconds: nil, retryable: nil, message: "slow"))
        #expect(FalError(transportFailure: HTTPClientError.shutDown) == .cancelled)
        #expect(FalError(transportFailure: CancellationError()) == .cancelled)
    }
}
