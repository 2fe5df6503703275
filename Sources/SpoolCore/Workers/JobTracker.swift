import Logging
import SpoolFal
import SpoolJSON
import Synchronization

/// Follows every job that is at fal until it ends: records queue-position changes and the move to `in_progress`,
/// relays log lines to watchers, fetches the result the moment fal says COMPLETED, and ends the job `completed` or
/// `failed`.
///
/// One scheduler task serves every followed job: it keeps them in a `DueQueue` ordered by when their next poll is
/// due (`PollSchedule` decides when), and starts a due poll only with a token from the global `StatusCallBudget`,
/// oldest-due first. A job waiting for its next poll is its poller's state and a queue entry, no task of its own;
/// only polls in flight have one. fal's callback and a cancel nudge a job: its poll falls due at once.
package final class JobTracker: Sendable {
    /// One followed job.
    private struct Followed {
        /// Which following of the job this is: a job stopped and followed again is a new following, and a poll
        /// of the old one that ends late must not touch it.
        let following: Int
        /// The job's poller between polls; nil while its poll is in flight (the poll task holds it).
        var poller: JobPoller?
        /// When its next poll is due; a queue entry with another time is stale.
        var due: ContinuousClock.Instant
        /// Nudged while its poll was in flight: the next poll falls due as soon as this one ends.
        var nudged = false
        /// A cancel fal did not take yet was recorded since the poller last read the job: the next poll asks fal
        /// to cancel first.
        var cancelPending = false
        /// The poll in flight, if any.
        var poll: Task<Void, Never>?
    }

    private struct State {
        var followed: [String: Followed] = [:]
        var queue = DueQueue()
        var scheduler: Task<Void, Never>?
        var stopped = false
        var followings = 0

        /// Takes the earliest poll due by `now` out of the queue (its poller with it), skipping stale entries.
        mutating func takeDue(at now: ContinuousClock.Instant) -> (id: String, following: Int, poller: JobPoller)? {
            while let entry = queue.first, entry.due <= now {
                _ = queue.removeFirst()
                guard var followed = followed[entry.jobID], followed.due == entry.due, var poller = followed.poller
                else { continue }
                if followed.cancelPending { poller.noteCancelRequested() }
                followed.cancelPending = false
                followed.poller = nil
                self.followed[entry.jobID] = followed
                return (entry.jobID, followed.following, poller)
            }
            return nil
        }

        /// Seconds until the earliest poll is due, nil when none is queued. Stale entries at the head are dropped
        /// first, so that none costs a token.
        mutating func secondsUntilNextDue(from now: ContinuousClock.Instant) -> Double? {
            while let entry = queue.first {
                if let followed = followed[entry.jobID], followed.due == entry.due, followed.poller != nil {
                    return max(0, (entry.due - now).seconds)
                }
                _ = queue.removeFirst()
            }
            return nil
        }
    }

    /// What the scheduler does next.
    private enum Step {
        case poll
        case sleep(seconds: Double)
    }

    let context: WorkerContext
    /// Called when a followed job ends, so that the dispatcher can use the freed slot.
    let onFinished: @Sendable () -> Void
    private let state = Mutex(State())
    private let wakeup = Wakeup()

    init(context: WorkerContext, onFinished: @escaping @Sendable () -> Void) {
        self.context = context
        self.onFinished = onFinished
    }

    /// Starts following `job` (at fal, with its URLs known): its first poll is due now. Following a job twice, or
    /// after `stopAll`, does nothing and answers false.
    @discardableResult
    func follow(_ job: Job) -> Bool {
        let now = ContinuousClock.now
        let count = state.withLock { state -> Int? in
            guard !state.stopped, state.followed[job.id] == nil else { return nil }
            state.followings += 1
            state.followed[job.id] = Followed(
                following: state.followings, poller: JobPoller(context: context, job: job), due: now)
            state.queue.insert(.init(due: now, jobID: job.id))
            if state.scheduler == nil { state.scheduler = Task { [self] in await schedule() } }
            return state.followed.count
        }
        guard let count else { return false }
        context.metrics.setFollowedJobs(count)
        wakeup.ring()
        return true
    }

    /// Takes up a job at fal whose lease this process has just acquired (at start, or from a replica that stopped):
    /// one whose result is saved needs nothing more of fal, only the rest of its files' copy, resumed here; any
    /// other is followed. The one place that decides, so that no path polls a job whose result is saved: saving the
    /// same result again would change nothing, and such a poller would ask fal forever.
    func adopt(_ job: Job) {
        if job.result != nil { context.capture.resume(job.id) } else { follow(job) }
    }

    /// Polls `jobID` now instead of at its next due time (fal's callback says it ended, or a cancel is pending);
    /// the poll still waits its turn for a token of the status-call budget.
    package func nudge(_ jobID: String) {
        let now = ContinuousClock.now
        let nudged = state.withLock { state -> Bool in
            guard var followed = state.followed[jobID] else { return false }
            if followed.poller == nil {
                followed.nudged = true
            } else {
                followed.due = now
                state.queue.insert(.init(due: now, jobID: jobID))
            }
            state.followed[jobID] = followed
            return true
        }
        if nudged { wakeup.ring() }
    }

    /// A cancel of `jobID` is pending (fal did not take it when asked): its next poll, due now, asks fal again, as
    /// every later poll does until fal takes it or the job ends. The poller holds its own copy of the job, which
    /// would not learn of the pending cancel otherwise.
    func cancelPending(_ jobID: String) {
        let found = state.withLock { state -> Bool in
            guard state.followed[jobID] != nil else { return false }
            state.followed[jobID]?.cancelPending = true
            return true
        }
        if found { nudge(jobID) }
    }

    /// Stops following `jobID` (it was cancelled or finished elsewhere); with `cancel`, its poll in flight is
    /// cancelled too.
    func stopFollowing(_ jobID: String, cancel: Bool = true) {
        let (followed, count) = state.withLock { state in (state.followed.removeValue(forKey: jobID), state.followed.count) }
        guard let followed else { return }
        if cancel { followed.poll?.cancel() }
        context.metrics.setFollowedJobs(count)
    }

    /// Whether job `id` is followed now (waiting for its next poll or in one).
    func isFollowing(_ id: String) -> Bool { state.withLock { $0.followed[id] != nil } }

    /// The ids of the jobs followed now.
    var followedIDs: [String] { state.withLock { Array($0.followed.keys) } }

    /// How many jobs are followed now.
    package var followedCount: Int { state.withLock { $0.followed.count } }

    /// Stops the scheduler and every poll in flight (shutdown). Jobs stay at fal and are followed again by the
    /// next process.
    func stopAll() {
        let (polls, scheduler) = state.withLock { state in
            defer {
                state.stopped = true
                state.followed.removeAll()
                state.queue.removeAll()
                state.scheduler = nil
            }
            return (state.followed.values.compactMap(\.poll), state.scheduler)
        }
        scheduler?.cancel()
        wakeup.close()
        for poll in polls { poll.cancel() }
        context.metrics.setFollowedJobs(0)
    }

    /// The scheduler: starts each poll when it is due and the budget has a token, earliest due first.
    private func schedule() async {
        var budget = StatusCallBudget(perSecond: context.configuration.fal.maxStatusCallsPerSecond)
        var waitedForToken = false
        while !Task.isCancelled {
            let step = state.withLock { state -> Step in
                let now = ContinuousClock.now
                guard let seconds = state.secondsUntilNextDue(from: now) else { return .sleep(seconds: 3600) }
                return seconds > 0 ? .sleep(seconds: seconds) : .poll
            }
            switch step {
            case .sleep(let seconds):
                guard await wakeup.wait(upTo: seconds) else { return }
            case .poll:
                if let wait = budget.take() {
                    waitedForToken = true
                    guard (try? await Task.sleep(for: .seconds(wait))) != nil else { return }
                    continue
                }
                if startDuePoll() {
                    context.metrics.recordStatusCall(outcome: "made")
                    if waitedForToken { context.metrics.recordStatusCall(outcome: "deferred") }
                    waitedForToken = false
                }
            }
        }
    }

    /// Starts the earliest due poll in a task of its own; false when none is due after all (the job stopped
    /// being followed since the scheduler looked).
    private func startDuePoll() -> Bool {
        state.withLock { state in
            guard let (id, following, poller) = state.takeDue(at: .now) else { return false }
            state.followed[id]?.poll = Task { [self] in await poll(id, following, poller) }
            return true
        }
    }

    /// Runs one poll of job `id` (in its `following`) and queues its next one, or ends the following.
    private func poll(_ id: String, _ following: Int, _ poller: JobPoller) async {
        var poller = poller
        let next = await poller.pollOnce()
        let now = ContinuousClock.now
        // The number of jobs still followed, when this one's following ended here.
        let remaining = state.withLock { state -> Int? in
            // Not followed any more, or followed afresh (stopped and followed again) while this poll ran: the new
            // following has its own poll.
            guard let followed = state.followed[id], followed.following == following else { return nil }
            switch next {
            case .finished:
                state.followed.removeValue(forKey: id)
                return state.followed.count
            case .again(let seconds):
                var followed = followed
                followed.due = followed.nudged ? now : now + .seconds(seconds)
                followed.nudged = false
                followed.poller = poller
                followed.poll = nil
                state.followed[id] = followed
                state.queue.insert(.init(due: followed.due, jobID: id))
                return nil
            }
        }
        if case .finished = next { onFinished() }
        if let remaining { context.metrics.setFollowedJobs(remaining) }
        wakeup.ring()
    }
}
