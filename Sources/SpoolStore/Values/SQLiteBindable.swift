/// A Swift value that can be bound to a statement parameter.
package protocol SQLiteBindable {
    /// The value SQLite stores for this Swift value.
    var sqliteValue: SQLiteValue { get }
}

/// A Swift value that can be read back from a column.
package protocol SQLiteReadable {
    /// Converts a stored value, or returns nil when it cannot be represented (wrong storage class, NULL for a
    /// non-optional type, an integer out of range).
    static func fromSQLite(_ value: SQLiteValue) -> Self?
}

extension SQLiteValue: SQLiteBindable, SQLiteReadable {
    package var sqliteValue: SQLiteValue { self }
    package static func fromSQLite(_ value: SQLiteValue) -> SQLiteValue? { value }
}

extension Int64: SQLiteBindable, SQLiteReadable {
    package var sqliteValue: SQLiteValue { .integer(self) }

    /// Integers, and reals with an exact integral value (SQLite may store `3` in a REAL column as `3.0`).
    package static func fromSQLite(_ value: SQLiteValue) -> Int64? {
        switch value {
        case .integer(let integer): integer
        case .real(let real): Int64(exactly: real)
        default: nil
        }
    }
}

extension Int: SQLiteBindable, SQLiteReadable {
    package var sqliteValue: SQLiteValue { .integer(Int64(self)) }
    package static func fromSQLite(_ value: SQLiteValue) -> Int? {
        Int64.fromSQLite(value).flatMap { Int(exactly: $0) }
    }
}

extension Double: SQLiteBindable, SQLiteReadable {
    package var sqliteValue: SQLiteValue { .real(self) }
    package static func fromSQLite(_ value: SQLiteValue) -> Double? {
        switch value {
        case .real(let real): real
        case .integer(let integer): Double(integer)
        default: nil
        }
    }
}

extension Bool: SQLiteBindable, SQLiteReadable {
    /// Stored as the integers 0 and 1, as SQLite's own boolean expressions are.
    package var sqliteValue: SQLiteValue { .integer(self ? 1 : 0) }
    package static func fromSQLite(_ value: SQLiteValue) -> Bool? {
        Int64.fromSQLite(value).map { $0 != 0 }
    }
}

extension String: SQLiteBindable, SQLiteReadable {
    package var sqliteValue: SQLiteValue { .text(self) }
    package static func fromSQLite(_ value: SQLiteValue) -> String? {
        if case .text(let text) = value { return text }
        return nil
    }
}

extension [UInt8]: SQLiteBindable, SQLiteReadable {
    package var sqliteValue: SQLiteValue { .blob(self) }

    /// Blobs, and text as its UTF-8 bytes.
    package static func fromSQLite(_ value: SQLiteValue) -> [UInt8]? {
        switch value {
        case .blob(let bytes): bytes
        case .text(let text): Array(text.utf8)
        default: nil
        }
    }
}

extension Optional: SQLiteBindable where Wrapped: SQLiteBindable {
    package var sqliteValue: SQLiteValue { self?.sqliteValue ?? .null }
}

extension Optional: SQLiteReadable where Wrapped: SQLiteReadable {
    /// NULL reads as `.some(nil)`: a successful read of an absent value.
    package static func fromSQLite(_ value: SQLiteValue) -> Wrapped?? {
        if value.isNull { return .some(nil) }
        return Wrapped.fromSQLite(value).map { .some($0) }
    }
}
