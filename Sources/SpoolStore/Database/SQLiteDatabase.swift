import CSQLite
import Foundation

/// The database as the rest of Spool holds it: one writer connection on a serial queue, a pool of read-only
/// connections, WAL mode (readers never wait for the writer), and group commit.
///
/// Bodies passed to `write`/`read` get a ``SQLiteConnection`` that is theirs for the duration of the call; they
/// must not keep it or use it from another thread. Bodies run synchronously on a Dispatch queue: do no slow
/// non-database work in them (the writer is shared by everyone). Cancelling the calling task does not stop a
/// write that was submitted.
///
/// ```swift
/// let db = try SQLiteDatabase(path: "/var/lib/spool/spool.sqlite")
/// try await Migrator(directory: migrationsPath).migrate(db)
/// let id = try await db.batchedWrite { connection in
///     try connection.run("INSERT INTO jobs (id, body) VALUES (?, ?)", .text(jobID), .blob(body))
///     return connection.lastInsertRowID
/// }
/// let rows = try await db.read { try $0.query("SELECT id FROM jobs WHERE state = ?", "queued") }
/// ```
package final class SQLiteDatabase: Sendable {
    /// The database file's path.
    package let path: String
    private let writer: SQLiteWriter
    private let readers: SQLiteReaderPool

    /// Opens (creating it and its parent directory if missing) the database at `path`.
    ///
    /// - Parameters:
    ///   - readers: how many read-only connections serve `read` concurrently.
    ///   - busyTimeoutMilliseconds: how long a statement waits for a lock held by another process.
    ///   - maximumBatchSize: the most `batchedWrite` bodies committed in one transaction.
    package init(path: String, readers: Int = 4, busyTimeoutMilliseconds: Int = 5000,
                maximumBatchSize: Int = 512) throws {
        precondition(maximumBatchSize > 0, "a batch holds at least one write")
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        }
        self.path = path
        // The writer opens first: it creates the file and switches it to WAL, which read-only connections cannot.
        writer = try SQLiteWriter(path: path, busyTimeoutMilliseconds: busyTimeoutMilliseconds,
                                  maximumBatchSize: maximumBatchSize)
        self.readers = try SQLiteReaderPool(path: path, readers: readers,
                                            busyTimeoutMilliseconds: busyTimeoutMilliseconds)
    }

    /// How many write transactions have committed (plain and grouped): with group commit, far fewer than the
    /// number of `batchedWrite` calls. For metrics and tests.
    package var commitCount: Int { writer.commitCount }

    /// How many `batchedWrite` calls are waiting for the next batch (not counting the batch being committed).
    package var pendingBatchedWrites: Int { writer.pendingCount }

    /// Runs `body` in its own IMMEDIATE transaction on the writer: committed when it returns, rolled back when it
    /// throws. Use for writes that must not share a transaction, or whose caller is not latency-bound.
    @discardableResult
    package func write<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await writer.submit { [writer] _ in try writer.transaction(body) }
    }

    /// Like ``write(_:)``, but shares one transaction (and one fsync) with every other `batchedWrite` waiting at
    /// the same moment. `body` runs inside its own SAVEPOINT: if it throws, only its changes are undone and only
    /// its caller gets the error. Returns after the shared COMMIT succeeded; if COMMIT fails, every caller of the
    /// batch gets that error. `body` must not begin, commit or roll back transactions itself.
    @discardableResult
    package func batchedWrite<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T)
        async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            writer.enqueue(BatchedWriteRequest(body: body, continuation: continuation))
        }
    }

    /// Runs `body` on a reader connection inside a DEFERRED transaction, so all its queries see one snapshot.
    /// Reader connections are read-only: a write fails with `SQLITE_READONLY`.
    package func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            readers.submit { connection in
                continuation.resume(with: Result { try connection.transaction(.deferred, body) })
            }
        }
    }

    /// Runs `body` on the writer queue without opening a transaction: for work that manages its own transactions
    /// (migrations) or cannot run inside one (`VACUUM`, `PRAGMA wal_checkpoint`).
    @discardableResult
    package func withWriter<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T)
        async throws -> T {
        try await writer.submit(body)
    }

    /// Blocking ``write(_:)``, for command-line tools. Must not be called from a `write`/`batchedWrite` body.
    @discardableResult
    package func writeSync<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try writer.submitSync { [writer] _ in try writer.transaction(body) }
    }

    /// Blocking ``withWriter(_:)``, for command-line tools such as `spool migrate`.
    @discardableResult
    package func withWriterSync<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try writer.submitSync(body)
    }

    /// Blocking ``read(_:)``, for command-line tools. Must not be called from a `read` body.
    package func readSync<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) throws -> T {
        try readers.submitSync { connection in try connection.transaction(.deferred, body) }
    }

    /// A readiness probe: throws unless the database file and its directory are writable and the write lock can
    /// be taken now (within the busy timeout). Writes nothing.
    package func checkWritable() async throws {
        let path = self.path
        try await writer.submit { connection in
            try Self.requireWritable(path)
            try Self.requireWritable((path as NSString).deletingLastPathComponent.nonEmpty ?? ".")
            try connection.run("BEGIN IMMEDIATE")
            try connection.run("ROLLBACK")
        }
    }

    /// Writes a consistent copy of the database to `destinationPath` (see ``SQLiteConnection/backup(to:)``),
    /// reading from a reader connection so writers are not held up.
    package func backup(to destinationPath: String) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            readers.submit { connection in
                continuation.resume(with: Result { try connection.backup(to: destinationPath) })
            }
        }
    }

    private static func requireWritable(_ path: String) throws {
        guard access(path, W_OK) != 0 else { return }
        let code = errno
        throw SQLiteError(extendedCode: SQLITE_READONLY,
                          message: "\(path) is not writable: access(W_OK) failed with errno \(code) "
                              + String(cString: strerror(code)))
    }
}

private extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
