import Logging
import SpoolFal
import SpoolJSON

/// One job's conversation with fal's status endpoint: each `pollOnce` asks fal once, applies what it says, and
/// answers when to ask again (`PollSchedule`: soon after a change, less often while nothing changes).
struct JobPoller {
    enum Next {
        case again(afterSeconds: Double)
        case finished
    }

    let context: WorkerContext
    let schedule: PollSchedule
    /// The job as far as following it needs: `slimmed`, so that thousands of followed jobs do not each hold their
    /// input, metadata and result (kilobytes of JSON apiece) that no poll reads.
    private(set) var job: Job { didSet { job = job.slimmed } }
    /// When the job last changed as seen from here (followed, moved in fal's queue, started, logged a line).
    private var changedAt = ContinuousClock.now
    private var logsSeen = 0
    private var failures = 0
    /// When fal was first seen saying COMPLETED without an error: the result is fetched until fal's retention
    /// window from then runs out.
    private var completedSeenAt: ContinuousClock.Instant?
    /// The run's start as derived when fal was first seen saying COMPLETED, kept across result retries.
    private var derivedRunStart: Timestamp?

    init(context: WorkerContext, job: Job) {
        self.context = context
        self.schedule = PollSchedule(context.configuration)
        self.job = job.slimmed
    }

    private var interval: Double { schedule.base }

    /// The caller asked to cancel the job and fal did not take it yet: the next poll asks fal again.
    mutating func noteCancelRequested() { job.cancelRequested = true }

    /// The delay before the next poll of a job still at fal, `queuePosition` in fal's queue (nil once it runs).
    /// Watchers of its log lines get them at the base interval.
    private func nextPoll(queuePosition: Int?) -> Next {
        if context.hub.hasSubscribers(job.id) { return .again(afterSeconds: schedule.base) }
        return .again(afterSeconds: schedule.delay(sinceChange: changedAt.secondsElapsed, queuePosition: queuePosition))
    }

    /// Delay after a failed poll: the interval, doubled per failure in a row, at most 5 minutes.
    private var backoff: Double { min(300, interval * Double(1 << min(failures, 6))) }

    private var facts: FailurePolicy.Facts {
        var facts = FailurePolicy.Facts(hasDeadline: job.deadlineAt != nil)
        if let completedSeenAt {
            facts.resultStillKept = completedSeenAt.secondsElapsed < context.configuration.fal.resultRetentionSeconds
        }
        return facts
    }

    mutating func pollOnce() async -> Next {
        guard let reference = job.fal, job.status.isAtFal else { return .finished }
        if job.cancelRequested, let next = await retryCancel(reference) { return next }
        let wantLogs = context.hub.hasSubscribers(job.id)
        let started = ContinuousClock.now
        do {
            let answer = try await context.fal.status(statusURL: reference.statusURL, logs: wantLogs)
            context.metrics.recordFalCall(operation: "status", outcome: "ok", seconds: started.secondsElapsed)
            failures = 0
            if context.health.isFailing(HealthState.falAuth) { context.health.pass(HealthState.falAuth) }
            await recordReport(answer.report)
            return try await apply(answer.value, reference: reference)
        } catch let error as FalError {
            context.metrics.recordFalCall(operation: "status", outcome: error.outcomeLabel, seconds: started.secondsElapsed)
            return await handle(error, during: .status)
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
                changedAt = .now
                try await store(note: nil) { $0.queuePosition = position }
            }
            return nextPoll(queuePosition: position)
        case .inProgress(let logs):
            relay(logs)
            if job.status != .inProgress {
                changedAt = .now
                try await store(note: "running at fal") {
                    $0.status = .inProgress
                    $0.queuePosition = nil
                }
            }
            return nextPoll(queuePosition: nil)
        case .completed(let logs, let metrics, _, _):
            relay(logs)
            let runStart = derivedRunStart ?? Self.runStart(metrics: metrics)
            derivedRunStart = runStart
            if let failure = status.runFailure {
                return await handle(failure, during: .run, runStart: runStart)
            }
            if completedSeenAt == nil { completedSeenAt = .now }
            return try await collectResult(reference, runStart: runStart)
        }
    }

    /// When the run started, from fal's `metrics.inference_time` (seconds it ran), for a run never seen running.
    static func runStart(metrics: JSONValue?, now: Timestamp = .now()) -> Timestamp {
        guard let seconds = metrics?["inference_time"]?.doubleValue, seconds >= 0 else { return now }
        return now.adding(seconds: -seconds)
    }

    /// Fetches the output once fal says COMPLETED (fal keeps it about an hour); `FailurePolicy` decides what a
    /// failed fetch means.
    private mutating func collectResult(_ reference: Job.FalReference, runStart: Timestamp) async throws -> Next {
        let started = ContinuousClock.now
        let output: JSONValue
        do {
            let answer = try await context.fal.result(responseURL: reference.responseURL)
            output = answer.value
            await recordReport(answer.report)
        } catch {
            context.metrics.recordFalCall(operation: "result", outcome: error.outcomeLabel, seconds: started.secondsElapsed)
            return await handle(error, during: .result, runStart: runStart)
        }
        context.metrics.recordFalCall(operation: "result", outcome: "ok", seconds: started.secondsElapsed)
        // The job completes once its output files are in storage (`FileCapture`).
        if let change = try await context.capture.resultArrived(job, output: output, runStart: runStart) {
            job = change.job
            return .finished
        }
        guard let current = try await context.store.job(job.id) else { return .finished }
        // Another process saved the result first (a replica that fal's callback reached) and copies the files under
        // the job's lease, which passed to it; if it stops, the job is taken up again (`JobTracker.adopt`). Saving
        // the same result again changes nothing, so polling on would ask fal forever: stop following.
        if current.result != nil, current.status.isAtFal { return .finished }
        job = current
        return afterLostWrite
    }

    /// Applies `FailurePolicy`'s decision for a failed call (or a failed run).
    private mutating func handle(_ error: FalError, during step: FailurePolicy.Step, runStart: Timestamp? = nil) async -> Next {
        failures += 1
        switch FailurePolicy.decide(step, error, facts: facts) {
        case .fail(let failure):
            do {
                let stored = try await store(note: failure.message) {
                    $0.status = FailurePolicy.finalStatus(for: failure)
                    $0.queuePosition = nil
                    $0.error = failure
                    if $0.startedAt == nil, let runStart { $0.startedAt = runStart }
                }
                return stored ? .finished : afterLostWrite
            } catch { return .again(afterSeconds: backoff) }
        case .keepFollowingKeyRefused:
            context.health.fail(HealthState.falAuth, "fal answered 401/403 to the configured key while following jobs")
            return .again(afterSeconds: max(backoff, 30))
        case .keepFollowing(let delay):
            context.logger.info("fal \(step.rawValue) call failed; will retry",
                                metadata: ["job_id": "\(job.id)", "error": "\(error.summary)"])
            return .again(afterSeconds: delay ?? backoff)
        case .leaveForRestart, .requeue, .pauseDispatch:
            // Spool is stopping: the next process follows the job again.
            return .finished
        }
    }

    /// A cancel that fal did not take yet: ask again. Returns nil to go on polling.
    private mutating func retryCancel(_ reference: Job.FalReference) async -> Next? {
        let started = ContinuousClock.now
        let outcome: FalCancelOutcome
        do {
            outcome = try await context.fal.cancel(cancelURL: reference.cancelURL)
            context.metrics.recordFalCall(operation: "cancel", outcome: "ok", seconds: started.secondsElapsed)
        } catch {
            context.metrics.recordFalCall(operation: "cancel", outcome: error.outcomeLabel, seconds: started.secondsElapsed)
            if case .leaveForRestart = FailurePolicy.decide(.cancel, error, facts: facts) { return .finished }
            return nil
        }
        switch outcome {
        case .cancellationRequested, .notFound:
            do {
                let stored = try await store(note: "cancelled by the caller") {
                    $0.status = .cancelled
                    $0.queuePosition = nil
                    $0.error = JobError(code: JobError.cancelled, message: "The job was cancelled by its owner.")
                }
                return stored ? .finished : afterLostWrite
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
        changedAt = .now
    }

    /// Records what fal's answer reported, comparing with the billing held here first: the database is touched
    /// only for news, and the local copy learns what is stored.
    private mutating func recordReport(_ report: FalReport) async {
        if let billing = await context.record(report, for: job.id, known: job.billing) { job.billing = billing }
    }

    /// Writes a change expecting the status last seen (compare-and-set) and keeps the local copy in step. False
    /// when the write changed nothing: another path got there first (a cancel, the deadline watcher), or the local
    /// copy had drifted from the database; the local copy then learns where the job is.
    @discardableResult
    private mutating func store(note: String?, _ mutate: @escaping @Sendable (inout Job) -> Void) async throws -> Bool {
        if let change = try await context.update(job.id, expecting: job.status, note: note, mutate) {
            job = change.job
            return true
        }
        let id = job.id
        if let current = try await context.store.job(id) { job = current }
        return false
    }

    /// What follows a write that changed nothing: the job's fate is sealed when it ended or left fal; a job still at
    /// fal (the write expected another status than the stored one) is polled again soon, from where it now stands,
    /// so that a lost compare-and-set never leaves it unfollowed.
    private var afterLostWrite: Next { job.status.isAtFal ? .again(afterSeconds: interval) : .finished }
}

extension Job {
    /// This job without the parts a poller never reads: its input, metadata, result and files.
    fileprivate var slimmed: Job {
        var slim = self
        slim.input = .null
        slim.metadata = nil
        slim.result = nil
        slim.files = []
        return slim
    }
}
