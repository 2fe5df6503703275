/// The emulated queue of one account: who waits, who runs, who has ended.
///
/// Nothing moves on its own: every reader first calls `advance(to:)`, which replays, in time order, every start
/// and end that happened by then. So the state is a pure function of the submit and cancel times, which keeps
/// the emulator deterministic and needs no timer. Requests wait in submission order; the head starts at
/// `max(its eligibleAt, the moment a slot freed)`; a waiting request whose `startDeadline` passes first ends
/// with `request_timeout` instead. Not thread-safe: `SimQueue` guards it with a mutex.
struct QueueScheduler: Sendable {
    let concurrency: Int
    private(set) var requests: [String: EmulatedRequest] = [:]
    /// Ids of queued requests, in submission order: index = `queue_position`.
    private(set) var waiting: [String] = []
    private var running: Set<String> = []
    /// When each running request ends; entries of requests no longer running are skipped.
    private var ends = RunEnds()
    /// Time of the last event replayed. Whenever fewer than `concurrency` run, a slot has been free since then.
    private var cursor: Double = 0
    /// Ids of requests that ended since the last `takeEnded()`, in the order they ended.
    private var ended: [String] = []
    /// Every id in submission order, for listings.
    private(set) var order: [String] = []

    init(concurrency: Int) {
        self.concurrency = concurrency
    }

    mutating func submit(_ request: EmulatedRequest, now: Double) {
        advance(to: now)
        requests[request.id] = request
        waiting.append(request.id)
        order.append(request.id)
        advance(to: now)
    }

    /// Replays every start and end due by `now`.
    mutating func advance(to now: Double) {
        while true {
            let nextEnd = nextRunEnd()
            var nextStart: Double?
            if running.count < concurrency, let head = waiting.first, let request = requests[head] {
                nextStart = max(request.eligibleAt, cursor)
            }
            // An end and a start at the same moment: the end first, so that its slot can be reused at once.
            if let end = nextEnd, end.at <= now, nextStart.map({ end.at <= $0 }) ?? true {
                finish(end.id, at: end.at, outcome: requests[end.id]!.plannedOutcome)
                continue
            }
            // A deadline passes only when strictly before the start: starting at the deadline is in time.
            if let expiry = nextExpiry(), expiry.at <= now, nextStart.map({ expiry.at < $0 }) ?? true,
               nextEnd.map({ expiry.at < $0.at }) ?? true {
                waiting.removeAll { $0 == expiry.id }
                requests[expiry.id]!.phase = .completed(startedAt: nil, endedAt: expiry.at, outcome: .failed(.requestTimeout))
                ended.append(expiry.id)
                continue
            }
            if let start = nextStart, start <= now {
                let id = waiting.removeFirst()
                requests[id]!.phase = .running(startedAt: start)
                running.insert(id)
                ends.insert(.init(at: start + requests[id]!.runSeconds, id: id))
                cursor = start
                continue
            }
            return
        }
    }

    /// What a cancel call found.
    enum CancelResult: Equatable {
        case cancelled
        case alreadyCompleted
        case notFound
    }

    /// Cancels a queued request (it never runs) or a running one (it ends now); both end `COMPLETED` with
    /// the cancellation error.
    mutating func cancel(_ id: String, now: Double) -> CancelResult {
        advance(to: now)
        guard let request = requests[id] else { return .notFound }
        switch request.phase {
        case .completed:
            return .alreadyCompleted
        case .queued:
            waiting.removeAll { $0 == id }
            requests[id]!.phase = .completed(startedAt: nil, endedAt: now, outcome: .failed(.cancelled))
            ended.append(id)
        case .running:
            finish(id, at: now, outcome: .failed(.cancelled))
        }
        advance(to: now)
        return .cancelled
    }

    /// The queue position of a waiting request (0 = next to start).
    func position(of id: String) -> Int? { waiting.firstIndex(of: id) }

    /// Ids of requests that ended since the last call, oldest first.
    mutating func takeEnded() -> [String] {
        defer { ended.removeAll() }
        return ended
    }

    /// When the next start or end is due, or nil when nothing is pending.
    mutating func nextEventTime() -> Double? {
        var candidates = nextRunEnd().map { [$0.at] } ?? []
        if let expiry = nextExpiry() { candidates.append(expiry.at) }
        if running.count < concurrency, let head = waiting.first, let request = requests[head] {
            candidates.append(max(request.eligibleAt, cursor))
        }
        return candidates.min()
    }

    /// The earliest end among running requests, dropping the entries of requests that ended early (cancelled).
    private mutating func nextRunEnd() -> RunEnds.Entry? {
        while let first = ends.first {
            if running.contains(first.id) { return first }
            ends.removeFirst()
        }
        return nil
    }

    /// The earliest start deadline among waiting requests.
    private func nextExpiry() -> (at: Double, id: String)? {
        waiting.compactMap { id in requests[id]?.startDeadline.map { (at: $0, id: id) } }.min { $0.at < $1.at }
    }

    private mutating func finish(_ id: String, at time: Double, outcome: EmulatedRequest.Outcome) {
        guard case .running(let startedAt) = requests[id]?.phase else { return }
        requests[id]!.phase = .completed(startedAt: startedAt, endedAt: time, outcome: outcome)
        running.remove(id)
        cursor = max(cursor, time)
        ended.append(id)
    }
}
