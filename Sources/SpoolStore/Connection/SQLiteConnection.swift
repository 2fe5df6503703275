import CSQLite

/// One SQLite connection (`sqlite3*`) with a cache of prepared statements.
///
/// Not `Sendable`: a connection must be used by one thread at a time. ``SQLiteDatabase`` keeps that promise by
/// touching its writer only on the writer queue and handing each reader to one job at a time, so connections are
/// opened with `SQLITE_OPEN_NOMUTEX` (SQLite's multi-thread mode): the per-call mutex of `FULLMUTEX` would only
/// guard against sharing that never happens, at a cost on every call.
///
/// A read-write connection is configured for durability: `journal_mode=WAL`, `synchronous=FULL` (a commit
/// returns only after the WAL is fsynced), `foreign_keys=ON`, and a busy timeout. The connection closes when the
/// last reference goes away.
package final class SQLiteConnection {
    /// The database file's path as given to `init`.
    package let path: String
    /// Whether the connection was opened read-only.
    package let isReadOnly: Bool
    /// More distinct SQL texts than this empty the statement cache (guards against SQL built with interpolation).
    package static let statementCacheCapacity = 256

    let db: OpaquePointer
    private var statementCache: [String: SQLiteStatement] = [:]

    /// Opens (read-write: creates) the database at `path` and applies the connection settings.
    ///
    /// - Parameters:
    ///   - readOnly: open with `SQLITE_OPEN_READONLY`; the journal mode is then left as the file has it.
    ///   - busyTimeoutMilliseconds: how long a statement waits for another connection's lock before failing with
    ///     `SQLITE_BUSY`.
    package init(path: String, readOnly: Bool = false, busyTimeoutMilliseconds: Int = 5000) throws(SQLiteError) {
        let access = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let flags = access | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        var handle: OpaquePointer?
        let rc = sqlite3_open_v2(path, &handle, flags, nil)
        guard rc == SQLITE_OK, let handle else {
            let error = SQLiteError(resultCode: rc, db: handle, sql: nil)
            sqlite3_close_v2(handle)
            throw SQLiteError(extendedCode: error.extendedCode, message: "\(error.message) (opening \(path))")
        }
        self.db = handle
        self.path = path
        self.isReadOnly = readOnly
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, Int32(clamping: busyTimeoutMilliseconds))
        if !readOnly { try enableWriteAheadLog() }
        // temp_store = MEMORY keeps savepoint sub-journals in memory: a group commit runs each caller's write in a
        // savepoint, and with the default (a temporary file past 64 KiB) every page image they record was written
        // to disk with two `pwrite` calls, about 16 calls per submitted job, and thrown away at COMMIT.
        try execute("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;")
    }

    deinit {
        // Statements finalize as they are released; close_v2 waits for any a caller still holds.
        statementCache.removeAll()
        sqlite3_close_v2(db)
    }

    /// Runs a script of zero or more statements separated by semicolons (`sqlite3_exec`); rows are discarded.
    /// For migrations and pragmas; statements here are not cached and take no bindings.
    package func execute(_ sql: String) throws(SQLiteError) {
        let rc = sqlite3_exec(db, sql, nil, nil, nil)
        guard rc == SQLITE_OK else { throw SQLiteError(resultCode: rc, db: db, sql: sql) }
    }

    /// The compiled statement for `sql`, from this connection's cache (compiled and cached on first use).
    ///
    /// Every `run`/`query` of a statement resets it and clears its old bindings first. Do not interleave uses of
    /// one SQL text: a second use resets a statement the first is still stepping through.
    package func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        if let cached = statementCache[sql] { return cached }
        let statement = try SQLiteStatement(db: db, sql: sql)
        if statementCache.count >= Self.statementCacheCapacity { statementCache.removeAll() }
        statementCache[sql] = statement
        return statement
    }

    /// The rowid of the last row this connection inserted (`sqlite3_last_insert_rowid`).
    package var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(db) }
    /// Rows changed by the last INSERT, UPDATE or DELETE (`sqlite3_changes64`).
    package var changes: Int { Int(sqlite3_changes64(db)) }
    /// Rows changed since the connection opened (`sqlite3_total_changes64`).
    package var totalChanges: Int { Int(sqlite3_total_changes64(db)) }
    /// Whether a transaction is open (SQLite may also end one by itself after some errors, e.g. `SQLITE_FULL`).
    package var isInTransaction: Bool { sqlite3_get_autocommit(db) == 0 }
    /// How many statements are in the cache now.
    package var cachedStatementCount: Int { statementCache.count }

    private func enableWriteAheadLog() throws(SQLiteError) {
        let reported = try queryRow("PRAGMA journal_mode = WAL")?.values.first
        let mode = reported.flatMap(String.fromSQLite)?.lowercased()
        // An in-memory database reports "memory" and cannot use a WAL; every file database must.
        guard mode == "wal" || mode == "memory" else {
            throw SQLiteError(extendedCode: SQLITE_ERROR,
                              message: "journal_mode=WAL was refused; the database stays in mode \(mode ?? "unknown")",
                              sql: "PRAGMA journal_mode = WAL")
        }
    }
}
