import CSQLite

/// Running single statements with `?` bindings, through the statement cache.
extension SQLiteConnection {
    /// Runs one statement and returns the number of rows it changed. Rows it returns are discarded.
    @discardableResult
    package func run(_ sql: String, _ bindings: SQLiteValue...) throws(SQLiteError) -> Int {
        try prepare(sql).run(bindings)
    }

    /// Runs one statement with an array of bindings and returns the number of rows it changed.
    @discardableResult
    package func run(_ sql: String, bindings: [SQLiteValue]) throws(SQLiteError) -> Int {
        try prepare(sql).run(bindings)
    }

    /// Runs one statement and returns all its rows: a SELECT, or a write with `RETURNING`.
    package func query(_ sql: String, _ bindings: SQLiteValue...) throws(SQLiteError) -> [SQLiteRow] {
        try prepare(sql).query(bindings)
    }

    /// Runs one statement with an array of bindings and returns all its rows.
    package func query(_ sql: String, bindings: [SQLiteValue]) throws(SQLiteError) -> [SQLiteRow] {
        try prepare(sql).query(bindings)
    }

    /// The first row of a query, or nil when there is none. A write with `RETURNING` is always run to completion,
    /// so use ``query(_:_:)`` when it may return several rows.
    package func queryRow(_ sql: String, _ bindings: SQLiteValue...) throws(SQLiteError) -> SQLiteRow? {
        try queryRow(sql, bindings: bindings)
    }

    /// The first row of a query with an array of bindings, or nil when there is none.
    package func queryRow(_ sql: String, bindings: [SQLiteValue]) throws(SQLiteError) -> SQLiteRow? {
        let statement = try prepare(sql)
        // A read-only statement may stop early; a write must run to the end or its other rows would go unwritten.
        if sqlite3_stmt_readonly(statement.handle) != 0 { return try statement.queryFirst(bindings) }
        return try statement.query(bindings).first
    }

    /// The first column of the first row, converted to `T`; nil when there is no row or the value is NULL.
    /// Throws ``SQLiteRowError`` when the value is not NULL but cannot be read as `T`.
    ///
    /// ```swift
    /// let count = try connection.queryScalar("SELECT count(*) FROM jobs", as: Int.self) ?? 0
    /// ```
    package func queryScalar<T: SQLiteReadable>(_ sql: String, _ bindings: SQLiteValue..., as type: T.Type = T.self)
        throws -> T? {
        try queryScalar(sql, bindings: bindings, as: type)
    }

    /// ``queryScalar(_:_:as:)`` with an array of bindings.
    package func queryScalar<T: SQLiteReadable>(_ sql: String, bindings: [SQLiteValue], as type: T.Type = T.self)
        throws -> T? {
        guard let row = try queryRow(sql, bindings: bindings), !row.values.isEmpty else { return nil }
        let value = row.values[0]
        if value.isNull { return nil }
        return try row.get(0, as: T.self)
    }
}
