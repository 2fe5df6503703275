import CSQLite

/// A compiled statement of one connection (`sqlite3_stmt`).
///
/// Statements come from ``SQLiteConnection/prepare(_:)``, which caches them by SQL text; they share the
/// connection's confinement (one thread at a time). Each `run`/`query` resets the statement, binds the given
/// values (clearing earlier bindings) and steps it to completion, then resets it again so that it holds no read
/// lock while idle. Finalized when the last reference goes away (the connection closes with
/// `sqlite3_close_v2`, so an outstanding statement never dangles).
package final class SQLiteStatement {
    /// The SQL text the statement was compiled from.
    package let sql: String
    let handle: OpaquePointer
    private let db: OpaquePointer
    private var cachedColumnNames: SQLiteColumnNames?

    init(db: OpaquePointer, sql: String) throws(SQLiteError) {
        var handle: OpaquePointer?
        // The tail points into the C string, so it is examined while that string is alive: a String passed
        // straight to the C function would be a temporary copy, gone (and the tail dangling) after the call.
        let (rc, moreStatements) = sql.withCString { text in
            var tail: UnsafePointer<CChar>?
            let rc = sqlite3_prepare_v3(db, text, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &handle, &tail)
            return (rc, rc == SQLITE_OK && tail.map { Self.holdsStatement($0, db: db) } == true)
        }
        guard rc == SQLITE_OK else { throw SQLiteError(resultCode: rc, db: db, sql: sql) }
        guard let handle else {
            throw SQLiteError(extendedCode: SQLITE_MISUSE, message: "the SQL holds no statement", sql: sql)
        }
        if moreStatements {
            sqlite3_finalize(handle)
            throw SQLiteError(extendedCode: SQLITE_MISUSE,
                              message: "more than one statement; use execute(_:) for scripts", sql: sql)
        }
        self.sql = sql
        self.handle = handle
        self.db = db
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// The number of `?` parameters the statement expects.
    package var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }

    /// The names of the result columns (empty for statements that return no rows).
    package var columnNames: [String] { resultColumns().names }

    /// Runs the statement and returns the number of rows it changed: `sqlite3_changes` for an INSERT, UPDATE or
    /// DELETE, and 0 for statements that change no rows (SELECT, DDL), for which `sqlite3_changes` would still
    /// report an earlier statement. Rows it returns (`… RETURNING`) are stepped through and dropped.
    @discardableResult
    package func run(_ bindings: [SQLiteValue]) throws(SQLiteError) -> Int {
        try prepareForExecution(bindings)
        defer { sqlite3_reset(handle) }
        let totalBefore = sqlite3_total_changes64(db)
        while try step() {}
        return sqlite3_total_changes64(db) == totalBefore ? 0 : Int(sqlite3_changes64(db))
    }

    /// Runs the statement and collects every row it returns (SELECT, or INSERT/UPDATE/DELETE … RETURNING).
    package func query(_ bindings: [SQLiteValue]) throws(SQLiteError) -> [SQLiteRow] {
        try prepareForExecution(bindings)
        defer { sqlite3_reset(handle) }
        var rows: [SQLiteRow] = []
        while try step() {
            let columns = resultColumns()
            rows.append(SQLiteRow(columns: columns, values: currentValues(count: columns.names.count)))
        }
        return rows
    }

    /// Runs the statement only as far as its first row; the statement is reset afterwards.
    package func queryFirst(_ bindings: [SQLiteValue]) throws(SQLiteError) -> SQLiteRow? {
        try prepareForExecution(bindings)
        defer { sqlite3_reset(handle) }
        guard try step() else { return nil }
        let columns = resultColumns()
        return SQLiteRow(columns: columns, values: currentValues(count: columns.names.count))
    }

    private func prepareForExecution(_ bindings: [SQLiteValue]) throws(SQLiteError) {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        guard bindings.count == parameterCount else {
            throw SQLiteError(extendedCode: SQLITE_RANGE,
                              message: "the statement has \(parameterCount) parameters but \(bindings.count) values were given",
                              sql: sql)
        }
        for (offset, value) in bindings.enumerated() {
            try bind(value, at: Int32(offset + 1))
        }
    }

    private func bind(_ value: SQLiteValue, at index: Int32) throws(SQLiteError) {
        let rc: Int32
        switch value {
        case .null:
            rc = sqlite3_bind_null(handle, index)
        case .integer(let integer):
            rc = sqlite3_bind_int64(handle, index, integer)
        case .real(let real):
            rc = sqlite3_bind_double(handle, index, real)
        case .text(let text):
            // withCString never hands out a NULL pointer (which would bind NULL instead of ''); the explicit
            // length keeps embedded NUL characters.
            rc = text.withCString { cString in
                sqlite3_bind_text(handle, index, cString, Int32(text.utf8.count), spool_sqlite_transient())
            }
        case .blob(let bytes):
            rc = bytes.isEmpty
                ? sqlite3_bind_zeroblob(handle, index, 0)
                : bytes.withUnsafeBytes { raw in
                    sqlite3_bind_blob(handle, index, raw.baseAddress, Int32(raw.count), spool_sqlite_transient())
                }
        }
        guard rc == SQLITE_OK else { throw SQLiteError(resultCode: rc, db: db, sql: sql) }
    }

    /// Steps once: true when a row is available, false when the statement is done.
    private func step() throws(SQLiteError) -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let rc: throw SQLiteError(resultCode: rc, db: db, sql: sql)
        }
    }

    /// The result's column names, built once; rebuilt if SQLite re-prepared the statement after a schema change
    /// and the column count changed (`SELECT *` after `ALTER TABLE … ADD COLUMN`).
    private func resultColumns() -> SQLiteColumnNames {
        let count = sqlite3_column_count(handle)
        if let cachedColumnNames, cachedColumnNames.names.count == Int(count) { return cachedColumnNames }
        let names = (0..<count).map { column in
            sqlite3_column_name(handle, column).map { String(cString: $0) } ?? ""
        }
        let columns = SQLiteColumnNames(names)
        cachedColumnNames = columns
        return columns
    }

    private func currentValues(count: Int) -> [SQLiteValue] {
        (0..<Int32(count)).map { column in
            switch sqlite3_column_type(handle, column) {
            case SQLITE_INTEGER:
                return .integer(sqlite3_column_int64(handle, column))
            case SQLITE_FLOAT:
                return .real(sqlite3_column_double(handle, column))
            case SQLITE_TEXT:
                let length = Int(sqlite3_column_bytes(handle, column))
                guard let bytes = sqlite3_column_text(handle, column) else { return .text("") }
                return .text(String(decoding: UnsafeBufferPointer(start: bytes, count: length), as: UTF8.self))
            case SQLITE_BLOB:
                let length = Int(sqlite3_column_bytes(handle, column))
                guard let bytes = sqlite3_column_blob(handle, column), length > 0 else { return .blob([]) }
                return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: length)))
            default:
                return .null
            }
        }
    }

    /// Whether SQL left after the first statement compiles to another statement (not just blanks or comments).
    private static func holdsStatement(_ tail: UnsafePointer<CChar>, db: OpaquePointer) -> Bool {
        var extra: OpaquePointer?
        let rc = sqlite3_prepare_v2(db, tail, -1, &extra, nil)
        sqlite3_finalize(extra)
        // Text that does not compile is not blank either: refuse it rather than silently ignore it.
        return rc != SQLITE_OK || extra != nil
    }
}
