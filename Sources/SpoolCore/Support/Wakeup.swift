/// A worker's doorbell: `ring` from anywhere, `wait(upTo:)` in the worker's loop. Rings while nobody waits are
/// kept as one, so a ring is never lost and never counted twice.
final class Wakeup: Sendable {
    private let rings: AsyncStream<Void>
    private let bell: AsyncStream<Void>.Continuation

    init() {
        (rings, bell) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Wakes the worker now (or as soon as it next waits).
    func ring() { bell.yield() }

    /// Stops the worker's waits for good.
    func close() { bell.finish() }

    /// Returns when rung or after `seconds`, whichever comes first; false once closed or cancelled.
    ///
    /// The timer rings only when its sleep ran out: a timer cancelled because a ring came first must not ring
    /// (that stale ring would end the next wait at once, and the loop would spin).
    func wait(upTo seconds: Double) async -> Bool {
        let timer = Task { [bell] in
            guard (try? await Task.sleep(for: .seconds(seconds))) != nil else { return }
            bell.yield()
        }
        defer { timer.cancel() }
        var iterator = rings.makeAsyncIterator()
        return await iterator.next() != nil
    }
}
