import Logging

/// The safety net under the dispatcher and the tracker: every `everySeconds` it looks for jobs in an active status
/// that nothing in this process moves forward, and puts them back on their way.
///
/// - A job at fal (`in_queue`, `in_progress`) with a fal request id that the tracker does not follow is followed
///   again: the next poll decides its fate as any poll would.
/// - A job at fal with its result saved whose files this process is not copying (a copy ended by an error, such
///   as the database refusing a write) has its copy resumed.
/// - A job at fal without a fal request id cannot be followed (nothing says where it is at fal): it goes back to
///   `queued` and is submitted again.
/// - A job in `submitting` whose claim's lease lapsed goes back to `queued` (the dispatcher's lapsed-claim sweep,
///   which also runs on every dispatch pass).
///
/// Each rescue is logged with the job's id and counted in `spool_jobs_rescued_total{action}`. A job changed in the
/// last `graceSeconds` is left for the next round: it may be between the write that put it at fal and the call
/// that follows it. It runs only where one process has the database to itself (SQLite), where every job at fal is
/// this process's to follow; replicas sharing PostgreSQL hand jobs over by follow lease (`FollowingLeases`).
struct JobRescuer: Sendable {
    let context: WorkerContext
    let tracker: JobTracker
    let dispatcher: JobDispatcher
    var everySeconds = 15.0
    var graceSeconds = 10.0

    /// What one sweep did.
    struct Outcome: Sendable, Equatable {
        /// Jobs at fal followed again.
        var followed: [String] = []
        /// Jobs whose files' copy was resumed.
        var resumed: [String] = []
        /// Jobs at fal without a request id put back in the queue.
        var requeued: [String] = []
    }

    func run() async {
        while !Task.isCancelled {
            guard (try? await Task.sleep(for: .seconds(everySeconds))) != nil else { return }
            do {
                _ = try await sweep(at: .now())
            } catch {
                context.logger.warning("could not look for jobs nobody follows", metadata: ["error": "\(error)"])
            }
        }
    }

    /// One round: lapsed claims first, then every job at fal that nothing follows.
    @discardableResult
    func sweep(at now: Timestamp) async throws -> Outcome {
        try await dispatcher.rescueLapsedClaims(at: now)
        let active = try await context.store.activeJobs()
        let settledBefore = now.adding(seconds: -graceSeconds)
        var outcome = Outcome()
        // A job at fal with its result saved is not followed: fal is done with it and its files are being copied.
        for job in active
        where job.status.isAtFal && job.result == nil && job.updatedAt < settledBefore && !tracker.isFollowing(job.id) {
            if job.fal != nil {
                if try await follow(job.id) { outcome.followed.append(job.id) }
            } else if try await requeue(job) {
                outcome.requeued.append(job.id)
            }
        }
        for job in active
        where job.status.isAtFal && job.result != nil && job.updatedAt < settledBefore && !context.capture.isCopying(job.id) {
            if try await resumeCopy(job.id) { outcome.resumed.append(job.id) }
        }
        return outcome
    }

    /// Resumes the copy of job `id`'s files, read afresh (its copy may have completed it since the sweep read it).
    private func resumeCopy(_ id: String) async throws -> Bool {
        guard let job = try await context.store.job(id), job.status.isAtFal, job.result != nil,
            context.capture.resume(id)
        else { return false }
        context.metrics.recordRescue(action: "resumed")
        context.logger.warning("a job's file copy had stopped; resumed it", metadata: ["job_id": "\(id)"])
        return true
    }

    /// Follows job `id` again, read afresh (its poll may have ended it since the sweep read it).
    private func follow(_ id: String) async throws -> Bool {
        guard let job = try await context.store.job(id),
            job.status.isAtFal, job.fal != nil, job.result == nil, tracker.follow(job)
        else { return false }
        context.metrics.recordRescue(action: "followed")
        context.logger.warning(
            "a job at fal was not followed; following it again",
            metadata: ["job_id": "\(job.id)", "status": "\(job.status.rawValue)", "fal_request_id": "\(job.fal?.requestID ?? "")"])
        return true
    }

    /// Puts a job that is at fal by its status but has no fal request id back in the queue (compare-and-set).
    private func requeue(_ job: Job) async throws -> Bool {
        let change = try await context.update(
            job.id, expecting: job.status, note: "rescued: \(job.status.rawValue) without a fal request id; submitting again"
        ) {
            $0.status = .queued
            $0.queuePosition = nil
            $0.runAfter = .now()
        }
        guard change != nil else { return false }
        context.metrics.recordRescue(action: "requeued")
        context.logger.warning(
            "a job at fal had no fal request id; queued again", metadata: ["job_id": "\(job.id)", "status": "\(job.status.rawValue)"])
        dispatcher.poke()
        return true
    }
}
