import Dispatch
import Foundation
import SpoolStore
import SpoolTestSupport

/// A fresh directory (a `TemporaryDirectory`), removed with everything in it after `body`.
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let directory = try TemporaryDirectory()
    defer { withExtendedLifetime(directory) {} }
    return try await body(directory.path)
}

/// A connection on a fresh database file in its own temp directory.
func withTemporaryConnection<T>(_ body: (SQLiteConnection) async throws -> T) async throws -> T {
    try await withTemporaryDirectory { directory in
        try await body(SQLiteConnection(path: directory + "/test.sqlite"))
    }
}

/// Holds the writer queue inside a `write` until `open()` is called, so that batched writes submitted meanwhile
/// all land in the same batch.
///
/// `@unchecked Sendable`: `entered` is guarded by `lock`; the semaphore is thread-safe.
final class WriterGate: @unchecked Sendable {
    private let lock = NSLock()
    private let semaphore = DispatchSemaphore(value: 0)
    private var entered = false

    /// Occupies the writer until `open()`; returns once the writer is inside the gate.
    func close(_ database: SQLiteDatabase) async throws -> Task<Void, any Error> {
        let task = Task {
            try await database.write { _ in
                self.lock.withLock { self.entered = true }
                self.semaphore.wait()
            }
        }
        try await eventually("the writer is inside the gate") { lock.withLock { entered } }
        return task
    }

    func open() {
        semaphore.signal()
    }
}
