import Foundation

/// A value that several threads share, reachable only through `withLock`.
///
/// `@unchecked Sendable` is sound because `value` is private and every read and write of it happens inside
/// `withLock`, which holds `lock` for the whole closure; the value itself is `Sendable`, so what escapes the
/// closure may cross threads.
final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
