import CSQLite

/// An error reported by SQLite, carrying what SQLite said so that one log line is enough to diagnose it.
///
/// `description` reads like
/// `SQLITE_CONSTRAINT (extended code 2067): UNIQUE constraint failed: users.email; SQL: INSERT INTO users …`.
package struct SQLiteError: Error, CustomStringConvertible, Sendable {
    /// SQLite's extended result code, e.g. 2067 for `SQLITE_CONSTRAINT_UNIQUE`.
    package let extendedCode: Int32
    /// SQLite's own message (`sqlite3_errmsg`), or this layer's explanation for misuse it detected itself.
    package let message: String
    /// The statement that failed, truncated to ``maximumSQLLength`` characters; nil when no statement was involved.
    package let sql: String?

    /// Longer SQL is cut, so migration scripts do not flood the log.
    package static let maximumSQLLength = 300

    /// The primary result code (`SQLITE_BUSY`, `SQLITE_CONSTRAINT`, …): the low byte of ``extendedCode``.
    package var code: Int32 { extendedCode & 0xff }

    package init(extendedCode: Int32, message: String, sql: String? = nil) {
        self.extendedCode = extendedCode
        self.message = message
        self.sql = sql.map(Self.truncated)
    }

    /// Reads the error state of `db` right after a call returned `resultCode`.
    ///
    /// The connection's extended code is used only when it agrees with `resultCode`, because some calls (bind,
    /// our own checks) return a code without updating the connection's error state.
    init(resultCode: Int32, db: OpaquePointer?, sql: String?) {
        var extended = resultCode
        var message = String(cString: sqlite3_errstr(resultCode))
        if let db {
            let connectionCode = sqlite3_extended_errcode(db)
            if connectionCode & 0xff == resultCode & 0xff {
                extended = connectionCode
                message = String(cString: sqlite3_errmsg(db))
            }
        }
        self.init(extendedCode: extended, message: message, sql: sql)
    }

    package var description: String {
        var text = "\(Self.name(ofPrimaryCode: code)) (extended code \(extendedCode)): \(message)"
        if let sql { text += "; SQL: \(sql)" }
        return text
    }

    /// The database was locked by another connection for longer than the busy timeout.
    package var isBusy: Bool { code == SQLITE_BUSY || code == SQLITE_LOCKED }
    /// A UNIQUE, PRIMARY KEY, NOT NULL, CHECK or FOREIGN KEY constraint failed.
    package var isConstraintViolation: Bool { code == SQLITE_CONSTRAINT }
    /// A UNIQUE or PRIMARY KEY constraint failed: the row already exists.
    package var isUniqueViolation: Bool {
        extendedCode == Self.constraintUnique || extendedCode == Self.constraintPrimaryKey
    }
    /// The disk (or the file system quota) is full.
    package var isFull: Bool { code == SQLITE_FULL }
    /// The operating system reported an I/O error (read, write, fsync, …).
    package var isIOError: Bool { code == SQLITE_IOERR }
    /// The database or its directory cannot be written.
    package var isReadOnly: Bool { code == SQLITE_READONLY || code == SQLITE_PERM || code == SQLITE_CANTOPEN }

    private static func truncated(_ sql: String) -> String {
        guard sql.count > maximumSQLLength else { return sql }
        return String(sql.prefix(maximumSQLLength)) + "…"
    }
}

extension SQLiteError {
    // The C header defines extended codes as `(BASE | (n<<8))` macros, which Swift does not import.
    package static let constraintCheck: Int32 = SQLITE_CONSTRAINT | (1 << 8)
    package static let constraintForeignKey: Int32 = SQLITE_CONSTRAINT | (3 << 8)
    package static let constraintNotNull: Int32 = SQLITE_CONSTRAINT | (5 << 8)
    package static let constraintPrimaryKey: Int32 = SQLITE_CONSTRAINT | (6 << 8)
    package static let constraintUnique: Int32 = SQLITE_CONSTRAINT | (8 << 8)

    /// The C name of a primary result code, e.g. `SQLITE_BUSY`.
    package static func name(ofPrimaryCode code: Int32) -> String {
        let names: [Int32: String] = [
            SQLITE_OK: "SQLITE_OK", SQLITE_ERROR: "SQLITE_ERROR", SQLITE_INTERNAL: "SQLITE_INTERNAL",
            SQLITE_PERM: "SQLITE_PERM", SQLITE_ABORT: "SQLITE_ABORT", SQLITE_BUSY: "SQLITE_BUSY",
            SQLITE_LOCKED: "SQLITE_LOCKED", SQLITE_NOMEM: "SQLITE_NOMEM", SQLITE_READONLY: "SQLITE_READONLY",
            SQLITE_INTERRUPT: "SQLITE_INTERRUPT", SQLITE_IOERR: "SQLITE_IOERR", SQLITE_CORRUPT: "SQLITE_CORRUPT",
            SQLITE_NOTFOUND: "SQLITE_NOTFOUND", SQLITE_FULL: "SQLITE_FULL", SQLITE_CANTOPEN: "SQLITE_CANTOPEN",
            SQLITE_PROTOCOL: "SQLITE_PROTOCOL", SQLITE_EMPTY: "SQLITE_EMPTY", SQLITE_SCHEMA: "SQLITE_SCHEMA",
            SQLITE_TOOBIG: "SQLITE_TOOBIG", SQLITE_CONSTRAINT: "SQLITE_CONSTRAINT",
            SQLITE_MISMATCH: "SQLITE_MISMATCH", SQLITE_MISUSE: "SQLITE_MISUSE", SQLITE_NOLFS: "SQLITE_NOLFS",
            SQLITE_AUTH: "SQLITE_AUTH", SQLITE_FORMAT: "SQLITE_FORMAT", SQLITE_RANGE: "SQLITE_RANGE",
            SQLITE_NOTADB: "SQLITE_NOTADB", SQLITE_NOTICE: "SQLITE_NOTICE", SQLITE_WARNING: "SQLITE_WARNING",
            SQLITE_ROW: "SQLITE_ROW", SQLITE_DONE: "SQLITE_DONE",
        ]
        return names[code] ?? "SQLite result code \(code)"
    }
}
