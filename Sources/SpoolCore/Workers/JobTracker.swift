import Logging
import SpoolFal
import SpoolJSON
import Synchronization

/// Follows every job that is at fal until it ends: one lightweight task per job polls fal's status every
/// poll interval (sooner when nudged by fal's callback or a cancel), records queue-position changes and the move
/// to `in_progress`, relays log lines to watchers, fetches the result the moment fal says COMPLETED, and ends the
/// job `completed` or `failed`.
///
/// Tasks cost no thread while they sleep, so thousands of jobs in flight are thousands of small tasks.
public final class JobTracker: Sendable {
    private struct Follower {
        let task: Task<Void, Never>
        let wakeup: Wakeup
    }

    let context: WorkerContext
    /// Called when a followed job ends, so that the dispatcher can use the freed slot.
    let onFinished: @Sendable () -> Void
    private let followers = Mutex<[String: Follower]>([:])

    init(context: WorkerContext, onFinished: @escaping @Sendable () -> Void) {
        self.context = context
        self.onFinished = onFinished
    }

    /// Starts following `job` (at fal, with its URLs known). Following a job twice does nothing.
    func follow(_ job: Job) {
        let wakeup = Wakeup()
        followers.withLock { followers in
            guard followers[job.id] == nil else { return }
            let task = Task { [self] in
                await run(job, wakeup: wakeup)
                stopFollowing(job.id, cancel: false)
            }
            followers[job.id] = Follower(task: task, wakeup: wakeup)
        }
    }

    /// Polls `jobID` now instead of at its next interval (fal's callback says it ended, or a cancel is pending).
    public func nudge(_ jobID: String) {
        followers.withLock { $0[jobID] }?.wakeup.ring()
    }

    /// Stops following `jobID` (it was cancelled or finished elsewhere).
    func stopFollowing(_ jobID: String, cancel: Bool = true) {
        let follower = followers.withLock { $0.removeValue(forKey: jobID) }
        if cancel { follower?.task.cancel() }
        follower?.wakeup.close()
    }

    /// How many jobs are followed now.
    public var followedCount: Int { followers.withLock { $0.count } }

    /// Stops every follower (shutdown). Jobs stay at fal and are followed again by the next process.
    func stopAll() {
        let all = followers.withLock { followers in
            defer { followers.removeAll() }
            return Array(followers.values)
        }
        for follower in all {
            follower.task.cancel()
            follower.wakeup.close()
        }
    }

    private func run(_ initial: Job, wakeup: Wakeup) async {
        var poller = JobPoller(context: context, job: initial)
        while !Task.isCancelled {
            switch await poller.pollOnce() {
            case .finished:
                onFinished()
                return
            case .again(let seconds):
                guard await wakeup.wait(upTo: seconds) else { return }
            }
        }
    }
}
