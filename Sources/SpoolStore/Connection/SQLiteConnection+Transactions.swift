/// How a transaction takes its locks (`BEGIN DEFERRED|IMMEDIATE|EXCLUSIVE`).
package enum SQLiteTransactionKind: String, Sendable {
    /// Locks on first use; a read transaction that becomes a write can fail with `SQLITE_BUSY` mid-way.
    case deferred = "DEFERRED"
    /// Takes the write lock at BEGIN (waiting up to the busy timeout), so the body never meets `SQLITE_BUSY`.
    case immediate = "IMMEDIATE"
    /// Like immediate; in WAL mode the same.
    case exclusive = "EXCLUSIVE"
}

extension SQLiteConnection {
    /// Runs `body` in a transaction: commits when it returns, rolls back when it throws or when COMMIT fails,
    /// and rethrows. Transactions do not nest; use ``savepoint(_:_:)`` inside one.
    @discardableResult
    package func transaction<T>(_ kind: SQLiteTransactionKind = .deferred,
                               _ body: (SQLiteConnection) throws -> T) throws -> T {
        try run("BEGIN \(kind.rawValue)")
        do {
            let result = try body(self)
            try run("COMMIT")
            return result
        } catch {
            rollbackIfOpen()
            throw error
        }
    }

    /// Runs `body` inside `SAVEPOINT name`: released when it returns; rolled back to (undoing only the body's
    /// changes) and released when it throws, then the error is rethrown. Savepoints nest, also outside a
    /// transaction (an outermost savepoint commits like a transaction when released).
    @discardableResult
    package func savepoint<T>(_ name: String = "spool_savepoint", _ body: (SQLiteConnection) throws -> T) throws -> T {
        let quoted = Self.quoteIdentifier(name)
        try run("SAVEPOINT \(quoted)")
        do {
            let result = try body(self)
            try run("RELEASE \(quoted)")
            return result
        } catch {
            // Either may fail if SQLite already rolled the whole transaction back (SQLITE_FULL, SQLITE_IOERR…);
            // the caller sees the original error and can check isInTransaction.
            _ = try? run("ROLLBACK TO \(quoted)")
            _ = try? run("RELEASE \(quoted)")
            throw error
        }
    }

    /// Rolls back the open transaction, if SQLite has not already done so. A failure here leaves nothing better
    /// to do than report the error that caused the rollback, so it is not thrown.
    func rollbackIfOpen() {
        guard isInTransaction else { return }
        _ = try? run("ROLLBACK")
    }

    /// `name` as an SQL identifier in double quotes, with embedded quotes doubled.
    static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}
