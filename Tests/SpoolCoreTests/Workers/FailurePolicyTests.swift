import SpoolFal
import SpoolJSON
import Testing
@testable import SpoolCore

/// One test per row group of `docs/failures.md`: what Spool does for each step and each answer.
@Suite("The failure table")
struct FailurePolicyTests {
    typealias Step = FailurePolicy.Step
    typealias Facts = FailurePolicy.Facts

    static let steps: [Step] = [.submit, .status, .result, .cancel, .run]

    static func transient(
        _ status: Int?, type: String? = nil, retryAfter: Double? = nil, retryable: Bool? = nil
    ) -> FalError {
        .transient(status: status, errorType: type, retryAfterSeconds: retryAfter, retryable: retryable, message: "m")
    }

    static func code(_ decision: FailurePolicy.Decision) -> String? {
        if case .fail(let error) = decision { return error.code }
        return nil
    }

    @Test("Spool's own shutdown never ends a job, at any step", arguments: steps)
    func shutdown(_ step: Step) {
        #expect(FailurePolicy.decide(step, .cancelled, facts: Facts()) == .leaveForRestart)
    }

    @Test("submit: 5xx, 429, 408, timeouts, drops and refused connections are requeued with backoff",
          arguments: [
              transient(500), transient(503, type: "runner_scheduling_failure", retryable: true), transient(429),
              transient(408), transient(nil), FalError.unreachable(message: "refused"),
          ])
    func submitTransient(_ error: FalError) {
        let decision = FailurePolicy.decide(.submit, error, facts: Facts(attempts: 1, maxAttempts: 5)) { _ in 2 }
        #expect(decision == .requeue(afterSeconds: 2))
    }

    @Test("submit: fal's Retry-After is the least delay before the next attempt")
    func submitRetryAfter() {
        let decision = FailurePolicy.decide(.submit, Self.transient(429, retryAfter: 9), facts: Facts()) { _ in 1 }
        #expect(decision == .requeue(afterSeconds: 9))
    }

    @Test("submit: a transient failure on the last attempt ends the job retries_exhausted")
    func submitExhausted() {
        let decision = FailurePolicy.decide(.submit, Self.transient(503), facts: Facts(attempts: 5, maxAttempts: 5))
        #expect(Self.code(decision) == JobError.retriesExhausted)
    }

    @Test("submit: X-Fal-Retryable false on a 5xx is final")
    func submitNotRetryable() {
        let decision = FailurePolicy.decide(.submit, Self.transient(500, retryable: false), facts: Facts())
        #expect(Self.code(decision) == JobError.upstreamError)
    }

    @Test("submit: 401 and 403 pause dispatch and keep the job queued", arguments: [401, 403])
    func submitAuth(_ status: Int) {
        let decision = FailurePolicy.decide(.submit, .authentication(status: status, message: "no"), facts: Facts())
        #expect(decision == .pauseDispatch(status: status))
    }

    @Test("submit: 422 ends the job upstream_validation with fal's detail")
    func submitRejected() {
        let detail: JSONValue = .array([["loc": ["body", "prompt"], "msg": "field required", "type": "missing"]])
        let decision = FailurePolicy.decide(
            .submit, .inputRejected(status: 422, detail: detail, retryable: false), facts: Facts())
        guard case .fail(let error) = decision else { Issue.record("\(decision)"); return }
        #expect(error.code == JobError.upstreamValidation)
        #expect(error.detail == detail)
    }

    @Test("submit: 404 (unknown endpoint), 400 and 409 end the job upstream_error",
          arguments: [
              FalError.notFound(message: "no such app"), .unexpected(status: 400, message: "bad"),
              .unexpected(status: 409, message: "conflict"), .unexpected(status: 200, message: "not JSON"),
          ])
    func submitDefinitive(_ error: FalError) {
        #expect(Self.code(FailurePolicy.decide(.submit, error, facts: Facts())) == JobError.upstreamError)
    }

    @Test("submit: fal's request_timeout on a job with a deadline is deadline_exceeded")
    func submitDeadline() {
        let error = Self.transient(504, type: "request_timeout")
        #expect(Self.code(FailurePolicy.decide(.submit, error, facts: Facts(hasDeadline: true))) == JobError.deadlineExceeded)
    }

    @Test("status: transient answers and odd answers keep following, with fal's Retry-After when it sent one",
          arguments: [
              transient(500), transient(429), transient(nil), FalError.unreachable(message: "refused"),
              .unexpected(status: 400, message: "bad"), .unexpected(status: 200, message: "not JSON"),
          ])
    func statusTransient(_ error: FalError) {
        #expect(FailurePolicy.decide(.status, error, facts: Facts()) == .keepFollowing(afterSeconds: nil))
        #expect(FailurePolicy.decide(.status, Self.transient(429, retryAfter: 4), facts: Facts()) == .keepFollowing(afterSeconds: 4))
    }

    @Test("status: 401 and 403 keep following and report the refused key", arguments: [401, 403])
    func statusAuth(_ status: Int) {
        let decision = FailurePolicy.decide(.status, .authentication(status: status, message: "no"), facts: Facts())
        #expect(decision == .keepFollowingKeyRefused)
    }

    @Test("status: 404 (fal forgot the request) ends the job upstream_error")
    func statusNotFound() {
        #expect(Self.code(FailurePolicy.decide(.status, .notFound(message: "gone"), facts: Facts())) == JobError.upstreamError)
    }

    @Test("run: COMPLETED with an error maps by error_type",
          arguments: [
              ("content_policy_violation", false, JobError.upstreamValidation),
              ("request_timeout", true, JobError.deadlineExceeded),
              ("request_timeout", false, JobError.upstreamError),
              ("startup_timeout", true, JobError.upstreamError),
              ("runner_server_error", false, JobError.upstreamError),
              ("internal_error", false, JobError.upstreamError),
              ("request_cancelled", false, JobError.cancelled),
          ])
    func runFailure(_ row: (String, Bool, String)) {
        let error = FalError.runFailed(status: nil, errorType: row.0, detail: .string("e"), message: "e")
        #expect(Self.code(FailurePolicy.decide(.run, error, facts: Facts(hasDeadline: row.1))) == row.2)
    }

    @Test("a run fal ended for a cancel ends the job cancelled; every other failure ends it failed")
    func finalStatus() {
        let cancelled = FalError.runFailed(status: nil, errorType: "request_cancelled", detail: nil, message: "cancelled")
        guard case .fail(let error) = FailurePolicy.decide(.run, cancelled, facts: Facts()) else {
            Issue.record("a cancelled run must end the job")
            return
        }
        #expect(FailurePolicy.finalStatus(for: error) == .cancelled)
        let crashed = FalError.runFailed(status: nil, errorType: "runner_server_error", detail: nil, message: "boom")
        guard case .fail(let other) = FailurePolicy.decide(.run, crashed, facts: Facts()) else {
            Issue.record("a failed run must end the job")
            return
        }
        #expect(FailurePolicy.finalStatus(for: other) == .failed)
    }

    @Test("result: a plain 5xx, marked 5xx, 429, timeout, drop or odd answer is retried while fal keeps results",
          arguments: [
              FalError.runFailed(status: 500, errorType: nil, detail: .string("Internal Server Error"), message: "x"),
              transient(502), transient(503, type: "runner_disconnected", retryable: true), transient(429), transient(nil),
              .unreachable(message: "refused"), .unexpected(status: 200, message: "truncated"),
          ])
    func resultTransient(_ error: FalError) {
        #expect(FailurePolicy.decide(.result, error, facts: Facts()) == .keepFollowing(afterSeconds: nil))
        let late = FailurePolicy.decide(.result, error, facts: Facts(resultStillKept: false))
        #expect(Self.code(late) == JobError.upstreamError)
    }

    @Test("result: the model's own errors are final",
          arguments: [
              (FalError.inputRejected(status: 422, detail: .string("nsfw"), retryable: false), JobError.upstreamValidation),
              (.runFailed(status: 500, errorType: "content_policy_violation", detail: nil, message: "x"), JobError.upstreamValidation),
              (.runFailed(status: 400, errorType: nil, detail: .string("bad size"), message: "x"), JobError.upstreamError),
              (.notFound(message: "expired"), JobError.upstreamError),
          ])
    func resultDefinitive(_ row: (FalError, String)) {
        #expect(Self.code(FailurePolicy.decide(.result, row.0, facts: Facts())) == row.1)
    }

    @Test("result: a 504 for the user's timeout on a job with a deadline is deadline_exceeded")
    func resultDeadline() {
        let error = Self.transient(504, type: "request_timeout")
        #expect(Self.code(FailurePolicy.decide(.result, error, facts: Facts(hasDeadline: true))) == JobError.deadlineExceeded)
        #expect(FailurePolicy.decide(.result, error, facts: Facts()) == .keepFollowing(afterSeconds: nil))
    }

    @Test("result: 401 and 403 keep following and report the refused key")
    func resultAuth() {
        let decision = FailurePolicy.decide(.result, .authentication(status: 401, message: "no"), facts: Facts())
        #expect(decision == .keepFollowingKeyRefused)
    }

    @Test("cancel: a failed cancel never ends the job; it is asked again on the next poll",
          arguments: [transient(500), transient(429), FalError.unreachable(message: "x"), .notFound(message: "x"),
                      .unexpected(status: 400, message: "x")])
    func cancelRetried(_ error: FalError) {
        #expect(FailurePolicy.decide(.cancel, error, facts: Facts()) == .keepFollowing(afterSeconds: nil))
    }

    @Test("a run's start is derived from fal's inference time, or is now without one")
    func runStart() {
        let now = Timestamp(milliseconds: 100_000)
        #expect(JobPoller.runStart(metrics: ["inference_time": 2.5], now: now) == Timestamp(milliseconds: 97_500))
        #expect(JobPoller.runStart(metrics: nil, now: now) == now)
    }
}
