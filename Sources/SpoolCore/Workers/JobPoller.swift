import Logging
import SpoolFal
import SpoolJSON

/// One job's conversation with fal's status endpoint: each `pollOnce` asks fal once and applies what it says.
struct JobPoller {
    enum Next {
        case again(afterSeconds: Double)
        case finished
    }

    let context: WorkerContext
    private(set) var job: Job
    private var logsSeen = 0
    private var failures = 0

    init(context: WorkerContext, job: Job) {
        self.context = context
        self.job = job
    }

    private var interval: Double { context.configuration.effectivePollInterval }

    /// Delay after a failed poll: the interval, doubled per failure in a row, at most 5 minutes.
    private var backoff: Double { min(300, interval * Double(1 << min(failures, 6))) }

    mutating func pollOnce() async -> Next {
        guard let reference = job.fal else { return .finished }
        if job.cancelRequested, let next = await retryCancel(reference) { return next }
        let wantLogs = context.hub.hasSubscribers(job.id)
        let started = ContinuousClock.now
        do {
            let answer = try await context.fal.status(statusURL: reference.statusURL, logs: wantLogs)
            context.metrics.recordFalCall(operation: "status", outcome: "ok", seconds: started.secondsElapsed)
            failures = 0
            if context.health.isFailing(HealthState.falAuth) { context.health.pass(HealthState.falAuth) }
            await context.record(answer.report, for: job.id)
            return try await apply(answer.value, reference: reference)
        } catch let error as FalError {
            context.metrics.recordFalCall(operation: "status", outcome: error.outcomeLabel, seconds: started.secondsElapsed)
            return await handle(error, during: "status")
        } catch {
            failures += 1
            context.logger.warning("could not record a status change", metadata: ["job_id": "\(job.id)", "error": "\(error)"])
            return .again(afterSeconds: backoff)
        }
    }

    private mutating func apply(_ status: FalStatus, reference: Job.FalReference) async throws -> Next {
        switch status {
        case .inQueue(let position):
            if job.status == .inQueue, job.queuePosition != position {
                try await store(note: nil) { $0.queuePosition = position }
            }
            return .again(afterSeconds: interval)
        case .inProgress(let logs):
            relay(logs)
            if job.status != .inProgress {
                try await store(note: "running at fal") {
                    $0.status = .inProgress
                    $0.queuePosition = nil
                }
            }
            return .again(afterSeconds: interval)
        case .completed(let logs, _, let error, let errorType):
            relay(logs)
            if let error {
                try await finishFailed(code: JobError.upstreamError, message: "fal reported that the run failed: \(error)",
                                       detail: errorType.map { ["error_type": .string($0), "error": .string(error)] })
                return .finished
            }
            return try await collectResult(reference)
        }
    }

    /// Fetches the output the moment fal says COMPLETED (fal keeps it only about an hour).
    private mutating func collectResult(_ reference: Job.FalReference) async throws -> Next {
        let started = ContinuousClock.now
        do {
            let answer = try await context.fal.result(responseURL: reference.responseURL)
            context.metrics.recordFalCall(operation: "result", outcome: "ok", seconds: started.secondsElapsed)
            await context.record(answer.report, for: job.id)
            try await store(note: "result collected") {
                $0.status = .completed
                $0.result = answer.value
                $0.queuePosition = nil
            }
            return .finished
        } catch let error as FalError {
            context.metrics.recordFalCall(operation: "result", outcome: error.outcomeLabel, seconds: started.secondsElapsed)
            if case .inputRejected(_, let detail, _) = error {
                try await finishFailed(code: JobError.upstreamValidation, message: "fal rejected the input.", detail: detail)
                return .finished
            }
            if error.isTransient { return await handle(error, during: "result") }
            try await finishFailed(code: JobError.upstreamError, message: "fal's run failed: \(error.summary)", detail: error.detail)
            return .finished
        }
    }

    private mutating func handle(_ error: FalError, during operation: String) async -> Next {
        failures += 1
        switch error {
        case .notFound:
            do {
                try await finishFailed(
                    code: JobError.upstreamError, message: "fal no longer knows request \(job.fal?.requestID ?? "")", detail: nil)
            } catch { return .again(afterSeconds: backoff) }
            return .finished
        case .authentication:
            context.health.fail(HealthState.falAuth, "fal answered 401/403 to the configured key while following jobs")
            return .again(afterSeconds: max(backoff, 30))
        default:
            context.logger.info("fal \(operation) call failed; will retry",
                                metadata: ["job_id": "\(job.id)", "error": "\(error.summary)"])
            return .again(afterSeconds: error.retryAfterSeconds ?? backoff)
        }
    }

    /// A cancel that fal did not take yet: ask again. Returns nil to go on polling.
    private mutating func retryCancel(_ reference: Job.FalReference) async -> Next? {
        guard let outcome = try? await context.fal.cancel(cancelURL: reference.cancelURL) else { return nil }
        switch outcome {
        case .cancellationRequested, .notFound:
            do {
                try await store(note: "cancelled by the caller") {
                    $0.status = .cancelled
                    $0.queuePosition = nil
                    $0.error = JobError(code: JobError.cancelled, message: "The job was cancelled by its owner.")
                }
                return .finished
            } catch {
                return nil
            }
        case .alreadyCompleted:
            return nil
        }
    }

    /// Hands log lines not seen before to watchers (fal sends the whole log on every poll).
    private mutating func relay(_ logs: [FalLog]) {
        guard logs.count > logsSeen else { return }
        for line in logs[logsSeen...] { context.hub.publish(.log(jobID: job.id, line: line.json)) }
        logsSeen = logs.count
    }

    private mutating func finishFailed(code: String, message: String, detail: JSONValue?) async throws {
        try await store(note: message) {
            $0.status = .failed
            $0.queuePosition = nil
            $0.error = JobError(code: code, message: message, detail: detail)
        }
    }

    /// Writes a change, and keeps the local copy in step (or learns that the job ended elsewhere).
    private mutating func store(note: String?, _ mutate: @escaping @Sendable (inout Job) -> Void) async throws {
        if let change = try await context.update(job.id, note: note, mutate) { job = change.job }
    }
}

extension ContinuousClock.Instant {
    /// Seconds since this instant.
    var secondsElapsed: Double {
        let elapsed = ContinuousClock.now - self
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
