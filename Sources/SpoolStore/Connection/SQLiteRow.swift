/// One result row: its values, addressable by column name or by position.
///
/// Rows are plain values (`Sendable`), detached from the statement that produced them, so they can be returned
/// from a `read`/`write` body. Name lookup is exact first, then case-insensitive (as SQL names are); when two
/// columns share a name (a join), the first wins — alias them (`SELECT a.id AS a_id, …`) to reach both.
///
/// ```swift
/// let row = try connection.queryRow("SELECT id, name, note FROM jobs WHERE id = ?", .text(id))
/// let name = try row?.string("name")          // throws if NULL or not text
/// let note = try row?.optionalString("note")  // nil for NULL
/// let first = try row?.int64(0)               // by position
/// ```
package struct SQLiteRow: Sendable {
    /// The column names of the result, in order.
    package var columnNames: [String] { columns.names }
    /// The values, in column order.
    package let values: [SQLiteValue]
    private let columns: SQLiteColumnNames

    init(columns: SQLiteColumnNames, values: [SQLiteValue]) {
        self.columns = columns
        self.values = values
    }

    /// The position of the column called `name`, if there is one.
    package func index(ofColumn name: String) -> Int? {
        columns.index(of: name)
    }

    /// The raw value of a column.
    package func value(_ column: some SQLiteColumnKey) throws(SQLiteRowError) -> SQLiteValue {
        guard let index = column.columnIndex(in: self), values.indices.contains(index) else {
            throw .noSuchColumn(column.columnDescription, available: columnNames)
        }
        return values[index]
    }

    /// A column's value converted to `T`; throws if the column is missing or the value does not convert
    /// (use an optional `T` to accept NULL).
    package func get<T: SQLiteReadable>(_ column: some SQLiteColumnKey, as type: T.Type = T.self)
        throws(SQLiteRowError) -> T {
        let raw = try value(column)
        guard let converted = T.fromSQLite(raw) else {
            throw .mismatch(column.columnDescription, value: raw, expected: T.self)
        }
        return converted
    }

    // Typed accessors: throw SQLiteRowError if the column is missing, NULL, or of another type.
    package func int(_ column: some SQLiteColumnKey) throws(SQLiteRowError) -> Int { try get(column) }
    package func int64(_ column: some SQLiteColumnKey) throws(SQLiteRowError) -> Int64 { try get(column) }
    package func double(_ column: some SQLiteColumnKey) throws(SQLiteRowError) -> Double { try get(column) }
    package func string(_ column: some SQLiteColumnKey) throws(SQLiteRowError) -> String { try get(column) }
    package func bool(_ column: some SQLiteColumnKey) throws(SQLiteRowError) -> Bool { try get(column) }
    package func blob(_ column: some SQLiteColumnKey) throws(SQLiteRowError) -> [UInt8] { try get(column) }

    // Optional accessors: nil for NULL; throw SQLiteRowError if the column is missing or of another type.
    package func optionalInt(_ column: some SQLiteColumnKey) throws(SQLiteRowError) -> Int? { try get(column) }
    package func optionalInt64(_ column: some SQLiteColumnKey) throws(SQLiteRowError) -> Int64? { try get(column) }
    package func optionalDouble(_ column: some SQLiteColumnKey) throws(SQLiteRowError) -> Double? { try get(column) }
    package func optionalString(_ column: some SQLiteColumnKey) throws(SQLiteRowError) -> String? { try get(column) }
    package func optionalBool(_ column: some SQLiteColumnKey) throws(SQLiteRowError) -> Bool? { try get(column) }
    package func optionalBlob(_ column: some SQLiteColumnKey) throws(SQLiteRowError) -> [UInt8]? { try get(column) }
}

/// How a column is named when reading a row: by its name (`String`) or its zero-based position (`Int`).
package protocol SQLiteColumnKey {
    /// The position this key refers to in `row`, or nil if there is no such column.
    func columnIndex(in row: SQLiteRow) -> Int?
    /// How the key appears in error messages.
    var columnDescription: String { get }
}

extension String: SQLiteColumnKey {
    package func columnIndex(in row: SQLiteRow) -> Int? { row.index(ofColumn: self) }
    package var columnDescription: String { self }
}

extension Int: SQLiteColumnKey {
    package func columnIndex(in row: SQLiteRow) -> Int? { self }
    package var columnDescription: String { "#\(self)" }
}

/// The column names of one result, shared by all its rows, with a lookup table built once.
final class SQLiteColumnNames: Sendable {
    let names: [String]
    private let exact: [String: Int]
    private let folded: [String: Int]

    init(_ names: [String]) {
        self.names = names
        var exact: [String: Int] = [:]
        var folded: [String: Int] = [:]
        for (index, name) in names.enumerated() {
            if exact[name] == nil { exact[name] = index }
            if folded[name.lowercased()] == nil { folded[name.lowercased()] = index }
        }
        self.exact = exact
        self.folded = folded
    }

    func index(of name: String) -> Int? {
        exact[name] ?? folded[name.lowercased()]
    }
}
