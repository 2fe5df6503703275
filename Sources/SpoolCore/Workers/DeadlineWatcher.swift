import Logging
import SpoolFal

/// Ends jobs whose deadline passed: a job at fal is cancelled there first (best effort), then every such job
/// ends `failed` with error code `deadline_exceeded`.
struct DeadlineWatcher: Sendable {
    let context: WorkerContext
    let tracker: JobTracker
    let onFinished: @Sendable () -> Void
    var checkEverySeconds = 1.0

    func run() async {
        while !Task.isCancelled {
            await sweep(at: .now())
            try? await Task.sleep(for: .seconds(checkEverySeconds))
        }
    }

    func sweep(at now: Timestamp) async {
        let overdue: [Job]
        do {
            overdue = try await context.store.overdueJobs(at: now, limit: 500)
        } catch {
            context.logger.warning("could not look for overdue jobs", metadata: ["error": "\(error)"])
            return
        }
        for job in overdue {
            tracker.stopFollowing(job.id)
            if job.status.isAtFal, let reference = job.fal {
                _ = try? await context.metrics.timedFalCall("cancel") { () async throws(FalError) in
                    try await context.fal.cancel(cancelURL: reference.cancelURL)
                }
            }
            let limit = job.deadlineAt.map { Int(($0.seconds - job.createdAt.seconds).rounded()) } ?? 0
            _ = try? await context.update(job.id, note: "deadline passed") {
                $0.status = .failed
                $0.queuePosition = nil
                $0.error = JobError(
                    code: JobError.deadlineExceeded,
                    message: "The job did not complete within its deadline of \(limit) s.")
            }
        }
        if !overdue.isEmpty { onFinished() }
    }
}
