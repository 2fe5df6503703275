/// Reading a row failed: the column does not exist or its value does not have the requested type.
///
/// These are schema/code mismatches, not SQLite failures, so they are kept apart from ``SQLiteError``.
package struct SQLiteRowError: Error, CustomStringConvertible, Sendable {
    /// The column as the caller named it (a name, or `#index`).
    package let column: String
    /// What went wrong, in words.
    package let problem: String

    package var description: String { "column \(column): \(problem)" }

    static func noSuchColumn(_ column: String, available: [String]) -> SQLiteRowError {
        SQLiteRowError(column: column, problem: "no such column; the row has \(available)")
    }

    static func mismatch(_ column: String, value: SQLiteValue, expected: Any.Type) -> SQLiteRowError {
        let problem = value.isNull
            ? "is NULL, expected \(expected)"
            : "holds a \(value.typeName) value, which cannot be read as \(expected)"
        return SQLiteRowError(column: column, problem: problem)
    }
}
