import Logging
import SpoolFal
import SpoolJSON
import Synchronization

/// Hands queued jobs to fal, up to the in-flight limits: claims the next job (see `JobClaimStore` for the order),
/// submits it, stores fal's request id in the same transaction that moves the job to `in_queue`, and hands it
/// to the tracker.
///
/// At most `submitConcurrency` submits are in flight at once, and it claims only as many jobs as there are free
/// submit slots: a claimed job is sent at once, never left waiting inside the HTTP client for a connection (where
/// its timeout would run), and a job queued later with a higher priority is not stuck behind a crowd of jobs
/// claimed before it. It wakes when a job is submitted, when a submit ends (a slot frees), when a job at fal
/// ends, and on a timer (retry backoffs, lapsed claims). While fal refuses the key (401/403) it pauses: jobs stay
/// queued, `/readyz` says why, and one job is tried again every `authRetrySeconds`.
package final class JobDispatcher: Sendable {
    let context: WorkerContext
    let tracker: JobTracker
    /// This process's name on the leases it takes.
    let owner: String
    let publicURL: String?
    let authRetrySeconds: Double
    /// Most submits in flight at once; claims stop while every slot is busy.
    let submitConcurrency: Int
    private let wakeup = Wakeup()
    private let state = Mutex(State())

    private struct State {
        /// Each team's turn number when it was last served (higher: more recently).
        var lastClaimed: [String: Int64] = [:]
        var pausedUntil: Timestamp?
        var submitting = 0
    }

    init(
        context: WorkerContext, tracker: JobTracker, owner: String, authRetrySeconds: Double = 30,
        submitConcurrency: Int = JobDispatcher.defaultSubmitConcurrency
    ) {
        self.context = context
        self.tracker = tracker
        self.owner = owner
        self.publicURL = context.configuration.publicURL
        self.authRetrySeconds = authRetrySeconds
        self.submitConcurrency = max(1, submitConcurrency)
    }

    /// Asks the dispatcher to look for work now.
    package func poke() { wakeup.ring() }

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
                let free = submitConcurrency - state.withLock { $0.submitting }
                // Every slot busy: the next submit to end rings the dispatcher.
                guard free > 0 else { return 5 }
                let limit = context.configuration.dispatch.maxInflight
                guard try await context.store.mightClaim(maxInflight: limit) else { break }
                let changes = try await claim(limit: paused ? 1 : min(free, Self.claimBatch))
                if changes.isEmpty { break }
                for change in changes {
                    context.announce(change)
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
            guard let next = try await context.store.nextReadyTime() else { return 5 }
            return min(5, max(0.05, next.seconds - Timestamp.now().seconds))
        } catch {
            context.logger.error("dispatch failed; retrying", metadata: ["error": "\(error)"])
            return 1
        }
    }

    /// Claims up to `limit` jobs in one transaction (one fsync for the lot), in the order `JobClaimStore` defines.
    private func claim(limit: Int) async throws -> [JobTransitions.Change] {
        let configuration = context.configuration
        let lastClaimed = state.withLock { $0.lastClaimed }
        let owner = self.owner
        let (changes, served) = try await context.store.claim(
            limit: limit, at: .now(), owner: owner, leaseSeconds: configuration.dispatch.leaseSeconds,
            rules: ClaimRules(maxInflight: configuration.dispatch.maxInflight, teams: configuration.teams),
            turns: lastClaimed)
        state.withLock { $0.lastClaimed = served }
        return changes
    }

    /// Most jobs claimed in one transaction.
    static let claimBatch = 32

    /// Most submits in flight at once by default: as many as the fal client opens connections to one host
    /// (`HTTPClientConfiguration.maxConnectionsPerHost`), so that each claimed job has a connection to go out on.
    static let defaultSubmitConcurrency = 64

    /// Jobs left in `submitting` by a process that died (or by a submit that hung past its lease) go back to
    /// `queued`. fal may already have received them: this is Spool's at-least-once window. Compare-and-set: a
    /// claim renewed or answered since it was read is left alone.
    func rescueLapsedClaims(at now: Timestamp, includingOtherOwners: Bool = false) async throws {
        let owner = self.owner
        let claims = try await context.store.lapsedClaims(at: now, exceptOwner: includingOtherOwners ? owner : nil)
        for claim in claims {
            let change = try await context.store.requeue(
                claim, at: .now(),
                note: "resubmitting: the previous submit attempt was interrupted and fal may have received it")
            guard let change else { continue }
            context.announce(change)
            context.metrics.recordRescue(action: "requeued")
            context.logger.notice(
                "a claim lapsed; the job is queued again",
                metadata: ["job_id": "\(claim.jobID)", "lease_owner": "\(claim.owner ?? "")"])
        }
    }

    private func submit(_ job: Job) async {
        defer { state.withLock { $0.submitting -= 1 } }
        let model = context.catalog.model(id: job.model)
        // A pass-through job (fal surface, endpoint outside the catalog) goes to fal as it was sent.
        guard model != nil || job.falOptions.passthrough else {
            _ = try? await context.update(job.id, expecting: .submitting, note: "model removed from the catalog") {
                $0.status = .failed
                $0.error = JobError(code: JobError.upstreamError, message: "The model \(job.model) is no longer in the catalog.")
            }
            return
        }
        let falInput = model?.falInput(from: job.input) ?? job.input
        let options = FalSubmitOptions(
            job: job, allowFallback: model?.allowFallback ?? false,
            team: context.configuration.teams.limits(for: job.team), publicURL: publicURL, now: .now())
        let renewal = Task { await renewLease(of: job.id) }
        let started = ContinuousClock.now
        let answer: Result<FalSubmission, FalError>
        do {
            answer = .success(try await context.fal.submit(
                endpoint: job.falEndpoint, input: falInput, options: options))
        } catch {
            answer = .failure(error)
        }
        renewal.cancel()
        switch answer {
        case .success(let submission):
            context.metrics.recordFalCall(operation: "submit", outcome: "ok", seconds: started.secondsElapsed)
            resume()
            await recordAccepted(job, submission)
        case .failure(let error):
            context.metrics.recordFalCall(operation: "submit", outcome: error.outcomeLabel, seconds: started.secondsElapsed)
            await handleSubmitFailure(job, error)
        }
        poke()
    }

    /// Stores fal's request id, only while the job is still `submitting` under this process's claim. When it is
    /// not (cancelled meanwhile, or the claim was taken back), the fal request just made is cancelled, so that no
    /// paid request is left unfollowed.
    private func recordAccepted(_ job: Job, _ submission: FalSubmission) async {
        let reference = Job.FalReference(
            requestID: submission.requestID, statusURL: submission.statusURL, responseURL: submission.responseURL,
            cancelURL: submission.cancelURL)
        // With `--sim` nothing is paid for and the video is a sample: the job's history says so.
        let accepter = context.configuration.fal.emulated ? "the built-in fal emulator (emulated result)" : "fal"
        do {
            let change = try await context.update(
                job.id, expecting: .submitting, claimedBy: owner, note: "accepted by \(accepter) as \(submission.requestID)"
            ) {
                $0.status = .inQueue
                $0.fal = reference
                $0.queuePosition = submission.queuePosition
            }
            if let change {
                await context.record(submission.report, for: job.id)
                tracker.follow(change.job)
                return
            }
        } catch {
            context.logger.error("could not record fal's answer", metadata: ["job_id": "\(job.id)", "error": "\(error)"])
        }
        context.logger.notice(
            "job left this claim during its submit; cancelling the fal request",
            metadata: ["job_id": "\(job.id)", "fal_request_id": "\(submission.requestID)"])
        await cancelUnclaimed(reference, jobID: job.id)
    }

    /// Most attempts at cancelling a fal request that no job points at.
    static let unclaimedCancelAttempts = 5

    /// Cancels at fal a request no job points at, asking again after a transient failure (with the poll's
    /// backoff, at least fal's `Retry-After`): nothing follows such a request, so a cancel lost to one 503 would
    /// leave a paid run unfollowed. Gives up when Spool stops or after `unclaimedCancelAttempts`, and says so.
    private func cancelUnclaimed(_ reference: Job.FalReference, jobID: String) async {
        let base = context.configuration.effectivePollInterval
        for attempt in 1...Self.unclaimedCancelAttempts {
            do {
                _ = try await context.metrics.timedFalCall("cancel") { () async throws(FalError) in
                    try await context.fal.cancel(cancelURL: reference.cancelURL)
                }
                return
            } catch {
                guard attempt < Self.unclaimedCancelAttempts,
                    case .keepFollowing(let retryAfter) = FailurePolicy.decide(.cancel, error, facts: .init())
                else {
                    context.logger.warning(
                        "could not cancel a fal request no job points at",
                        metadata: ["job_id": "\(jobID)", "fal_request_id": "\(reference.requestID)", "error": "\(error.summary)"])
                    return
                }
                let delay = max(retryAfter ?? 0, base * Double(1 << (attempt - 1)))
                guard (try? await Task.sleep(for: .seconds(delay))) != nil else { return }
            }
        }
    }

    /// Keeps this process's claim on job `id` alive while its submit is in flight: renews the lease every third of
    /// its length, until cancelled or the claim is no longer ours.
    private func renewLease(of id: String) async {
        let lease = context.configuration.dispatch.leaseSeconds
        let owner = self.owner
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(lease / 3))
            if Task.isCancelled { return }
            let until = Timestamp.now().adding(seconds: lease)
            guard let renewed = try? await context.store.renewLease(id, owner: owner, until: until), renewed
            else { return }
        }
    }

    /// Applies `FailurePolicy`'s decision for a failed submit.
    private func handleSubmitFailure(_ job: Job, _ error: FalError) async {
        let dispatch = context.configuration.dispatch
        let facts = FailurePolicy.Facts(
            attempts: job.attempts, maxAttempts: dispatch.maxAttempts, hasDeadline: job.deadlineAt != nil)
        let decision = FailurePolicy.decide(.submit, error, facts: facts) { attempt in
            Backoff.delay(attempt: attempt, base: dispatch.retryBaseSeconds, maximum: dispatch.retryMaxSeconds)
        }
        let owner = self.owner
        do {
            switch decision {
            case .leaveForRestart, .keepFollowing, .keepFollowingKeyRefused:
                context.logger.info("submit interrupted; the job stays claimed for the next start",
                                    metadata: ["job_id": "\(job.id)", "error": "\(error.summary)"])
            case .pauseDispatch(let status):
                // Paused before the job is claimable again, and the job back in the queue before /readyz says so.
                state.withLock { $0.pausedUntil = Timestamp.now().adding(seconds: authRetrySeconds) }
                try await context.update(
                    job.id, expecting: .submitting, claimedBy: owner, note: "fal refused the API key (\(status)); dispatch paused"
                ) {
                    $0.status = .queued
                    $0.attempts -= 1
                    $0.runAfter = Timestamp.now()
                }
                pause(status: status)
            case .requeue(let delay):
                try await context.update(
                    job.id, expecting: .submitting, claimedBy: owner,
                    note: "submit failed (\(error.summary)); retrying in \(Int(delay.rounded())) s"
                ) {
                    $0.status = .queued
                    $0.runAfter = Timestamp.now().adding(seconds: delay)
                }
            case .fail(let failure):
                try await context.update(job.id, expecting: .submitting, claimedBy: owner, note: failure.message) {
                    $0.status = FailurePolicy.finalStatus(for: failure)
                    $0.error = failure
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
