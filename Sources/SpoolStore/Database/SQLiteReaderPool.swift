import Dispatch
import Foundation

/// A fixed set of read-only connections; each job gets one connection to itself.
///
/// Jobs run on a concurrent queue, at most one per connection, so at most `readers` at once; jobs beyond that
/// wait in `waiting` (first come, first served) instead of blocking a thread.
///
/// `@unchecked Sendable` is safe because `idle` and `waiting` are read and written only while holding `lock`, and
/// a connection is either in `idle` (touched by nobody) or owned by exactly one running job: it is taken out
/// of `idle` under the lock before the job starts and put back (or handed to the next job) under the lock after
/// the job ends, which also orders the two jobs' memory accesses.
final class SQLiteReaderPool: @unchecked Sendable {
    private let queue = DispatchQueue(label: "spool.sqlite.readers", qos: .userInitiated, attributes: .concurrent)
    private let lock = NSLock()
    private var idle: [SQLiteConnection]
    private var waiting: [@Sendable (SQLiteConnection) -> Void] = []

    init(path: String, readers: Int, busyTimeoutMilliseconds: Int) throws {
        precondition(readers > 0, "a database needs at least one reader connection")
        idle = try (0..<readers).map { _ in
            try SQLiteConnection(path: path, readOnly: true, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        }
    }

    /// Runs `job` with a connection of its own as soon as one is free.
    func submit(_ job: @escaping @Sendable (SQLiteConnection) -> Void) {
        let connection: SQLiteConnection? = lock.withLock {
            if let free = idle.popLast() { return free }
            waiting.append(job)
            return nil
        }
        if let connection { start(job, on: Lease(connection: connection)) }
    }

    /// Runs `body` with a connection and waits for it; must not be called from inside a reader job.
    func submitSync<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) throws -> T {
        let done = DispatchSemaphore(value: 0)
        let outcome = Outcome<T>()
        submit { connection in
            outcome.set(Result { try body(connection) })
            done.signal()
        }
        done.wait()
        return try outcome.take().get()
    }

    private func start(_ job: @escaping @Sendable (SQLiteConnection) -> Void, on lease: Lease) {
        queue.async {
            job(lease.connection)
            self.finished(lease)
        }
    }

    private func finished(_ lease: Lease) {
        let next: (@Sendable (SQLiteConnection) -> Void)? = lock.withLock {
            if waiting.isEmpty {
                idle.append(lease.connection)
                return nil
            }
            return waiting.removeFirst()
        }
        if let next { start(next, on: lease) }
    }

    /// A connection on its way to the job that owns it exclusively. `@unchecked Sendable` because only that job
    /// (and then `finished`) touches the connection, as the type comment above explains.
    private struct Lease: @unchecked Sendable {
        let connection: SQLiteConnection
    }

    /// The result of a blocking job. `@unchecked Sendable` because `set` happens before the semaphore is signalled
    /// and `take` only after it was waited on, so the two never overlap and the semaphore orders them.
    private final class Outcome<T>: @unchecked Sendable {
        private var result: Result<T, any Error>?
        func set(_ result: Result<T, any Error>) { self.result = result }
        func take() -> Result<T, any Error> {
            guard let result else { preconditionFailure("a blocking read finished without a result") }
            return result
        }
    }
}
