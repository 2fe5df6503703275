import SpoolFal
import SpoolJSON

/// The one place that decides what a failed call to fal means for a job. The dispatcher (submit), the poller
/// (status, result, the run's own verdict, cancel retries) and the cancel endpoint all ask it; fal's callback
/// only wakes the poller, so its outcome is decided here too. `docs/failures.md` is this table in prose, and
/// `FailurePolicyTests` checks every row.
enum FailurePolicy {
    /// The call that failed.
    enum Step: String, Sendable {
        case submit
        case status
        case result
        case cancel
        /// fal's verdict on the run itself: a COMPLETED status (or callback) that carries an error.
        case run
    }

    /// What is known about the job when deciding.
    struct Facts: Sendable, Equatable {
        /// Submit attempts made so far, this one included.
        var attempts = 1
        var maxAttempts = 25
        /// Whether the user gave the job a deadline (sent to fal as `X-Fal-Request-Timeout`).
        var hasDeadline = false
        /// For the result step: whether fal still keeps the result (the retention window since fal first said
        /// COMPLETED has not run out).
        var resultStillKept = true
    }

    /// What to do.
    enum Decision: Sendable, Equatable {
        /// Spool itself is stopping: touch nothing. A job in `submitting` is requeued by the next process; a job
        /// at fal is followed again.
        case leaveForRestart
        /// Submit: back to `queued`, tried again after the delay (at least fal's `Retry-After`).
        case requeue(afterSeconds: Double)
        /// Submit: fal refuses the key. The job goes back to `queued` without spending an attempt and dispatch pauses.
        case pauseDispatch(status: Int)
        /// Status, result or cancel: the job stays where it is; ask fal again after the delay (nil: the poller's
        /// own backoff, which starts at the poll interval and doubles up to 5 minutes). A result retry re-checks
        /// the status first.
        case keepFollowing(afterSeconds: Double?)
        /// As `keepFollowing`, and `/readyz` reports that fal refuses the key.
        case keepFollowingKeyRefused
        /// End the job `failed` with this error.
        case fail(JobError)
    }

    /// The decision for `error` at `step`. `backoff` gives the delay before submit attempt `n + 1`.
    static func decide(
        _ step: Step, _ error: FalError, facts: Facts, backoff: (Int) -> Double = { _ in 0 }
    ) -> Decision {
        if case .cancelled = error { return .leaveForRestart }
        switch step {
        case .submit: return submit(error, facts: facts, backoff: backoff)
        case .status: return status(error)
        case .result: return result(error, facts: facts)
        case .cancel: return cancel(error)
        case .run: return .fail(runFailure(error, facts: facts))
        }
    }

    private static func submit(_ error: FalError, facts: Facts, backoff: (Int) -> Double) -> Decision {
        switch error {
        case .authentication(let status, _):
            return .pauseDispatch(status: status)
        case .transient(_, let errorType, _, let retryable, _) where retryable == false || errorType == "request_timeout":
            return .fail(runFailure(error, facts: facts))
        case .unreachable, .transient:
            guard facts.attempts < facts.maxAttempts else {
                return .fail(JobError(
                    code: JobError.retriesExhausted,
                    message: "fal could not take the job after \(facts.attempts) attempts: \(error.summary)",
                    detail: error.detail))
            }
            return .requeue(afterSeconds: max(error.retryAfterSeconds ?? 0, backoff(facts.attempts)))
        case .notFound(let message):
            return .fail(JobError(code: JobError.upstreamError, message: "fal does not know this endpoint: \(message)"))
        case .inputRejected, .runFailed, .unexpected, .cancelled:
            return .fail(runFailure(error, facts: facts))
        }
    }

    private static func status(_ error: FalError) -> Decision {
        switch error {
        case .notFound(let message):
            return .fail(JobError(code: JobError.upstreamError, message: "fal no longer knows the request: \(message)"))
        case .authentication:
            return .keepFollowingKeyRefused
        default:
            return .keepFollowing(afterSeconds: error.retryAfterSeconds)
        }
    }

    /// After COMPLETED without an error the run succeeded and its output exists: only an answer that says so for
    /// certain ends the job; everything else is retried while fal keeps results.
    private static func result(_ error: FalError, facts: Facts) -> Decision {
        switch error {
        case .inputRejected:
            return .fail(runFailure(error, facts: facts))
        case .runFailed(let status?, nil, _, _) where (500...599).contains(status):
            // A plain 5xx names no model error: the platform's, and transient.
            break
        case .runFailed:
            return .fail(runFailure(error, facts: facts))
        case .transient(_, "request_timeout", _, _, _) where facts.hasDeadline:
            return .fail(runFailure(error, facts: facts))
        case .notFound(let message):
            return .fail(JobError(
                code: JobError.upstreamError, message: "fal no longer keeps the result: \(message)"))
        case .authentication:
            return .keepFollowingKeyRefused
        case .unreachable, .transient, .unexpected, .cancelled:
            break
        }
        guard facts.resultStillKept else {
            return .fail(JobError(
                code: JobError.upstreamError,
                message: "fal's result could not be fetched while fal kept it: \(error.summary)", detail: error.detail))
        }
        return .keepFollowing(afterSeconds: error.retryAfterSeconds)
    }

    /// A cancel fal did not take is asked again on every poll; it never ends the job by itself.
    private static func cancel(_ error: FalError) -> Decision {
        if case .authentication = error { return .keepFollowingKeyRefused }
        return .keepFollowing(afterSeconds: error.retryAfterSeconds)
    }

    /// The status a job ends in with `error`: `cancelled` for a cancellation, `failed` for everything else.
    static func finalStatus(for error: JobError) -> JobStatus {
        error.code == JobError.cancelled ? .cancelled : .failed
    }

    /// The error a job ends with when fal, not a transport, ended it: the user's deadline, fal rejecting the
    /// input (at submit or while running), or anything else fal reported.
    static func runFailure(_ error: FalError, facts: Facts) -> JobError {
        let errorType: String?
        switch error {
        case .transient(_, let type, _, _, _), .runFailed(_, let type, _, _): errorType = type
        default: errorType = nil
        }
        if errorType == "request_timeout", facts.hasDeadline {
            return JobError(
                code: JobError.deadlineExceeded, message: "fal stopped the run at the job's deadline.",
                detail: error.detail)
        }
        if case .inputRejected(_, let detail, _) = error {
            return JobError(code: JobError.upstreamValidation, message: "fal rejected the input.", detail: detail)
        }
        if errorType == "request_cancelled" {
            // Only a cancel ends a run so: one Spool sent and could not record (it stopped right after fal took
            // it), or one made at fal directly. Either way the job was cancelled, not failed.
            return JobError(
                code: JobError.cancelled, message: "The job was cancelled at fal.", detail: error.detail)
        }
        if errorType == "content_policy_violation" {
            return JobError(
                code: JobError.upstreamValidation, message: "fal rejected the input: \(error.summary)",
                detail: error.detail)
        }
        return JobError(code: JobError.upstreamError, message: "fal reported a failure: \(error.summary)", detail: error.detail)
    }
}
