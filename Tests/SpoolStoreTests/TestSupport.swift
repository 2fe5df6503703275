import Dispatch
import Foundation
import SpoolStore

/// A fresh directory under the system temp directory, removed (with everything in it) after `body`.
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("spool-store-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

/// A connection on a fresh database file in its own temp directory.
func withTemporaryConnection<T>(_ body: (SQLiteConnection) async throws -> T) async throws -> T {
    try await withTemporaryDirectory { directory in
        try await body(SQLiteConnection(path: directory + "/test.sqlite"))
    }
}

/// Polls `condition` every millisecond until it holds, failing after `seconds`.
func waitUntil(seconds: Double = 5, _ condition: () -> Bool) async throws {
    let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
    while !condition() {
        guard DispatchTime.now().uptimeNanoseconds < deadline else { throw TimedOut() }
        try await Task.sleep(nanoseconds: 1_000_000)
    }
}

struct TimedOut: Error {}

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
        try await waitUntil { lock.withLock { entered } }
        return task
    }

    func open() {
        semaphore.signal()
    }
}
