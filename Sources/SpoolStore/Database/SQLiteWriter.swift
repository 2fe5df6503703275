import Dispatch
import Foundation

/// The database's single writer: one read-write connection confined to one serial queue.
///
/// `@unchecked Sendable` is safe because:
/// - `connection` is used only inside blocks running on `queue` (a serial queue), so it is never touched by two
///   threads at once, and the queue orders each use after the previous one;
/// - `pending`, `drainScheduled` and `commits` are read and written only while holding `lock`;
/// - everything else is immutable after `init`.
final class SQLiteWriter: @unchecked Sendable {
    let queue: DispatchQueue
    let maximumBatchSize: Int
    let connection: SQLiteConnection
    let lock = NSLock()
    var pending: [any GroupCommitRequest] = []
    var drainScheduled = false
    private var commits = 0

    init(path: String, busyTimeoutMilliseconds: Int, maximumBatchSize: Int) throws {
        connection = try SQLiteConnection(path: path, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        queue = DispatchQueue(label: "spool.sqlite.writer", qos: .userInitiated)
        self.maximumBatchSize = maximumBatchSize
    }

    /// Successful COMMITs made through ``transaction(_:)`` and group commit.
    var commitCount: Int { lock.withLock { commits } }

    /// `batchedWrite` requests waiting for the next batch.
    var pendingCount: Int { lock.withLock { pending.count } }

    func recordCommit() {
        lock.withLock { commits += 1 }
    }

    /// Runs `body` on the writer queue, outside any transaction, and delivers its outcome.
    func submit<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body(self.connection) })
            }
        }
    }

    /// Blocking ``submit(_:)``; must not be called from the writer queue itself.
    func submitSync<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        dispatchPrecondition(condition: .notOnQueue(queue))
        return try queue.sync { try body(connection) }
    }

    /// `body` in an IMMEDIATE transaction, counted when it commits. Call on the writer queue.
    func transaction<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        let result = try connection.transaction(.immediate, body)
        recordCommit()
        return result
    }
}
