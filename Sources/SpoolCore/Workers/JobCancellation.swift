import Logging
import SpoolFal

/// `POST /v1/jobs/{id}/cancel`. A job not yet at fal is cancelled at once; a job at fal is cancelled there
/// first. When fal cannot be reached the job is marked, answered 202 as it stands, and the tracker keeps asking
/// fal to cancel it on every poll until fal agrees or the job ends.
struct JobCancellation: Sendable {
    let jobs: JobService
    let fal: FalQueueClient
    let tracker: JobTracker
    let metrics: SpoolMetrics
    let logger: Logger

    func cancel(_ id: String, principal: Principal) async throws(JobRefusal) -> Job {
        let (job, _) = try await jobs.job(id, principal: principal)
        if job.status.isTerminal { throw Self.alreadyTerminal(job) }
        if job.status.isAtFal, let reference = job.fal {
            do {
                let outcome = try await metrics.timedFalCall("cancel") { () async throws(FalError) in
                    try await fal.cancel(cancelURL: reference.cancelURL)
                }
                switch outcome {
                case .cancellationRequested, .notFound:
                    break
                case .alreadyCompleted:
                    tracker.nudge(id)
                    throw JobRefusal.finishedAtFal(jobID: id)
                }
            } catch let error as JobRefusal {
                throw error
            } catch {
                logger.warning("fal did not take the cancel; will retry", metadata: ["job_id": "\(id)", "error": "\(error)"])
                let marked = try await markCancelRequested(id)
                tracker.cancelPending(id)
                return marked ?? job
            }
        }
        let change = try await JobUpdates.apply(id, note: "cancelled by the caller", jobs: jobs, metrics: metrics) { job in
            job.status = .cancelled
            job.cancelRequested = true
            job.queuePosition = nil
            job.error = JobError(code: JobError.cancelled, message: "The job was cancelled by its owner.")
        }
        guard let change else {
            // It ended between our read and our write.
            let (current, _) = try await jobs.job(id, principal: principal)
            throw Self.alreadyTerminal(current)
        }
        tracker.stopFollowing(id)
        return change.job
    }

    private func markCancelRequested(_ id: String) async throws(JobRefusal) -> Job? {
        try await JobUpdates.apply(id, note: nil, jobs: jobs, metrics: metrics) { $0.cancelRequested = true }?.job
    }

    static func alreadyTerminal(_ job: Job) -> JobRefusal {
        .alreadyTerminal(jobID: job.id, status: job.status)
    }
}

/// Applies a change to a job through the store, tells watchers and counts the transition, for
/// API-side changes.
enum JobUpdates {
    static func apply(
        _ id: String, note: String?, jobs: JobService, metrics: SpoolMetrics,
        _ mutate: @escaping @Sendable (inout Job) -> Void
    ) async throws(JobRefusal) -> JobTransitions.Change? {
        let change: JobTransitions.Change?
        do {
            change = try await jobs.store.update(id, expecting: nil, claimedBy: nil, at: .now(), note: note, mutate)
        } catch {
            throw JobRefusal.storage(error, logger: jobs.logger)
        }
        if let change {
            jobs.hub.publish(change)
            if let event = change.event { metrics.recordTransition(change.job, event: event, from: change.previous) }
        }
        return change
    }
}

extension JobEventHub {
    /// Publishes a stored change: a transition when the status moved, otherwise a plain change.
    func publish(_ change: JobTransitions.Change) {
        if let event = change.event { publish(.transition(change.job, event)) } else { publish(.changed(change.job)) }
    }
}
