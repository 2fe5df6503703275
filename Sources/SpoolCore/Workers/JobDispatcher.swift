import Logging
import SpoolFal
import SpoolJSON
import Synchronization

/// Hands queued jobs to fal, up to the in-flight limits: claims the next job (see `JobClaims` for the order),
/// submits it, stores fal's request id in the same transaction that moves the job to `in_queue`, and hands it
/// to the tracker.
///
/// It wakes when a job is submitted, when a job at fal ends, and on a timer (retry backoffs, lapsed claims).
/// While fal refuses the key (401/403) it pauses: jobs stay queued, `/readyz` says why, and one job is tried
/// again every `authRetrySeconds`.
public final class JobDispatcher: Sendable {
    let context: WorkerContext
    let tracker: JobTracker
    /// This process's name on the leases it takes.
    let owner: String
    let publicURL: String?
    let authRetrySeconds: Double
    private let wakeup = Wakeup()
    private let state = Mutex(State())

    private struct State {
        /// Each team's turn number when it was last served (higher: more recently).
        var lastClaimed: [String: Int64] = [:]
        var pausedUntil: Timestamp?
        var submitting = 0
    }

    init(context: WorkerContext, tracker: JobTracker, owner: String, authRetrySeconds: Double = 30) {
        self.context = context
        self.tracker = tracker
        self.owner = owner
        self.publicURL = context.configuration.publicURL
        self.authRetrySeconds = authRetrySeconds
    }

    /// Asks the dispatcher to look for work now.
    public func poke() { wakeup.ring() }

    /// Runs until cancelled.
    func run() async {
        while !Task.isCancelled {
            let delay = await dispatchReady()
            guard await wakeup.wait(upTo: delay) else { return }
        }
    }

    /// Claims and submits jobs while slots are free; returns how long to sleep before looking again.
    private func dispatchReady() async -> Double {
        let now = Timestamp.now()
        if let paused = state.withLock({ $0.pausedUntil }), paused > now {
            return paused.seconds - now.seconds
        }
        let paused = state.withLock { $0.pausedUntil != nil }
        do {
            try await rescueLapsedClaims(at: now)
            claiming: while !Task.isCancelled {
                // A submit that fal refused for the key stops the claiming at once.
                if !paused, state.withLock({ $0.pausedUntil != nil }) { break }
                let limit = context.configuration.dispatch.maxInflight
                guard try await context.database.read({ try JobClaims.mightClaim(maxInflight: limit, on: $0) }) else { break }
                let changes = try await claim(limit: paused ? 1 : Self.claimBatch)
                if changes.isEmpty { break }
                for change in changes {
                    context.hub.publish(change)
                    if let event = change.event { context.metrics.recordTransition(change.job, event: event) }
                    state.withLock { $0.submitting += 1 }
                    let job = change.job
                    if paused {
                        // One probe while paused: wait for its answer before sending more.
                        await submit(job)
                        if state.withLock({ $0.pausedUntil != nil }) { break claiming }
                    } else {
                        Task { await submit(job) }
                    }
                }
            }
            guard let next = try await context.database.read({ try JobClaims.nextReadyTime(on: $0) }) else { return 5 }
            return min(5, max(0.05, next.seconds - Timestamp.now().seconds))
        } catch {
            context.logger.error("dispatch failed; retrying", metadata: ["error": "\(error)"])
            return 1
        }
    }

    /// Claims up to `limit` jobs in one transaction (one fsync for the lot), in the order `JobClaims` defines.
    private func claim(limit: Int) async throws -> [JobTransitions.Change] {
        let configuration = context.configuration
        let lastClaimed = state.withLock { $0.lastClaimed }
        let owner = self.owner
        let (changes, served) = try await context.database.write { connection in
            var policy = JobClaims.Policy(
                maxInflight: configuration.dispatch.maxInflight,
                teamLimit: { configuration.teams.limits(for: $0).maxInflight }, lastClaimed: lastClaimed)
            var changes: [JobTransitions.Change] = []
            var turn = (policy.lastClaimed.values.max() ?? 0) + 1
            while changes.count < limit, let change = try JobClaims.claimNext(
                at: .now(), owner: owner, leaseSeconds: configuration.dispatch.leaseSeconds, policy: policy,
                on: connection)
            {
                policy.lastClaimed[change.job.team] = turn
                turn += 1
                changes.append(change)
            }
            return (changes, policy.lastClaimed)
        }
        state.withLock { $0.lastClaimed = served }
        return changes
    }

    /// Most jobs claimed in one transaction.
    static let claimBatch = 32

    /// Jobs left in `submitting` by a process that died (or by a submit that hung past its lease) go back to
    /// `queued`. fal may already have received them: this is Spool's at-least-once window.
    func rescueLapsedClaims(at now: Timestamp, includingOtherOwners: Bool = false) async throws {
        let owner = self.owner
        let ids = try await context.database.read { connection in
            try JobClaims.lapsedClaims(at: now, exceptOwner: includingOtherOwners ? owner : nil, on: connection)
        }
        for id in ids {
            try await context.update(id, note: "resubmitting: the previous submit attempt was interrupted and fal may have received it") {
                $0.status = .queued
            }
        }
    }

    private func submit(_ job: Job) async {
        defer { state.withLock { $0.submitting -= 1 } }
        guard let model = context.catalog.model(id: job.model) else {
            _ = try? await context.update(job.id, note: "model removed from the catalog") {
                $0.status = .failed
                $0.error = JobError(code: JobError.upstreamError, message: "The model \(job.model) is no longer in the catalog.")
            }
            return
        }
        let options = FalSubmitOptions(
            job: job, model: model, team: context.configuration.teams.limits(for: job.team), publicURL: publicURL,
            now: .now())
        let started = ContinuousClock.now
        do {
            let submission = try await context.fal.submit(
                endpoint: job.falEndpoint, input: model.falInput(from: job.input), options: options)
            context.metrics.recordFalCall(operation: "submit", outcome: "ok", seconds: started.secondsElapsed)
            resume()
            let reference = Job.FalReference(
                requestID: submission.requestID, statusURL: submission.statusURL, responseURL: submission.responseURL,
                cancelURL: submission.cancelURL)
            let change = try await context.update(job.id, note: "accepted by fal as \(submission.requestID)") {
                $0.status = .inQueue
                $0.fal = reference
                $0.queuePosition = submission.queuePosition
            }
            await context.record(submission.report, for: job.id)
            if let change, change.job.status == .inQueue {
                tracker.follow(change.job)
            } else {
                // Cancelled while we were submitting: take it back at fal.
                _ = try? await context.fal.cancel(cancelURL: reference.cancelURL)
            }
        } catch let error as FalError {
            context.metrics.recordFalCall(operation: "submit", outcome: error.outcomeLabel, seconds: started.secondsElapsed)
            await handleSubmitFailure(job, error)
        } catch {
            context.logger.error("could not record fal's answer", metadata: ["job_id": "\(job.id)", "error": "\(error)"])
        }
        poke()
    }

    private func handleSubmitFailure(_ job: Job, _ error: FalError) async {
        let dispatch = context.configuration.dispatch
        do {
            switch error {
            case .inputRejected(_, let detail, _):
                try await context.update(job.id, note: "fal rejected the input") {
                    $0.status = .failed
                    $0.error = JobError(code: JobError.upstreamValidation, message: "fal rejected the input.", detail: detail)
                }
            case .authentication(let status, _):
                // Paused before the job is claimable again, and the job back in the queue before /readyz says so.
                state.withLock { $0.pausedUntil = Timestamp.now().adding(seconds: authRetrySeconds) }
                try await context.update(job.id, note: "fal refused the API key (\(status)); dispatch paused") {
                    $0.status = .queued
                    $0.attempts -= 1
                    $0.runAfter = Timestamp.now()
                }
                pause(status: status)
            case _ where error.isTransient && job.attempts < dispatch.maxAttempts:
                let delay = max(error.retryAfterSeconds ?? 0, Backoff.delay(
                    attempt: job.attempts, base: dispatch.retryBaseSeconds, maximum: dispatch.retryMaxSeconds))
                try await context.update(job.id, note: "submit failed (\(error.summary)); retrying in \(Int(delay.rounded())) s") {
                    $0.status = .queued
                    $0.runAfter = Timestamp.now().adding(seconds: delay)
                }
            case _ where error.isTransient:
                try await context.update(job.id, note: "submit failed \(job.attempts) times; giving up") {
                    $0.status = .failed
                    $0.error = JobError(
                        code: JobError.retriesExhausted,
                        message: "fal could not take the job after \(job.attempts) attempts: \(error.summary)",
                        detail: error.detail)
                }
            default:
                try await context.update(job.id, note: "fal refused the job") {
                    $0.status = .failed
                    $0.error = JobError(code: JobError.upstreamError, message: "fal refused the job: \(error.summary)",
                                        detail: error.detail)
                }
            }
        } catch {
            context.logger.error("could not record a failed submit", metadata: ["job_id": "\(job.id)", "error": "\(error)"])
        }
    }

    /// Tells `/readyz` and the log that dispatch is paused (the pause itself is already set).
    private func pause(status: Int) {
        context.health.fail(
            HealthState.falAuth,
            "fal answered \(status) to the configured FAL_KEY; dispatch is paused and jobs stay queued")
        context.logger.error("fal refused the configured key; dispatch paused", metadata: ["status": "\(status)"])
    }

    private func resume() {
        let wasPaused = state.withLock { state in
            defer { state.pausedUntil = nil }
            return state.pausedUntil != nil
        }
        context.health.pass(HealthState.falAuth)
        if wasPaused { context.logger.notice("fal accepted the key again; dispatch resumed") }
    }
}

/// Exponential backoff with jitter: a random delay between half and all of base × 2^(attempt−1), capped.
enum Backoff {
    static func delay(attempt: Int, base: Double, maximum: Double) -> Double {
        let ceiling = min(maximum, base * Double(1 << min(max(attempt - 1, 0), 20)))
        return Double.random(in: (ceiling / 2)...max(ceiling / 2, ceiling))
    }
}
