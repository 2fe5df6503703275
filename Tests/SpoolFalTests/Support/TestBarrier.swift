import Foundation

/// Holds each arriving server thread until `count` have arrived, to prove requests are in flight together.
///
/// `@unchecked Sendable`: `arrived` is only read or written while holding `condition`'s lock.
final class TestBarrier: @unchecked Sendable {
    private let condition = NSCondition()
    private let count: Int
    private var arrived = 0

    init(count: Int) { self.count = count }

    /// True once all `count` have arrived; false after 20 s without that.
    func arriveAndWait() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        arrived += 1
        if arrived >= count { condition.broadcast() }
        let deadline = Date().addingTimeInterval(20)
        while arrived < count, condition.wait(until: deadline) {}
        return arrived >= count
    }
}
