/// One value as SQLite stores it: its five storage classes.
///
/// Literals make bindings short to write: `try connection.run("INSERT INTO t VALUES (?, ?, ?)", 1, "a", nil)`.
/// For variables use `SQLiteValue(x)` (any ``SQLiteBindable``, optionals included) or `x.sqliteValue`.
package enum SQLiteValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    /// Wraps any bindable Swift value; `nil` optionals become ``null``.
    package init(_ value: some SQLiteBindable) {
        self = value.sqliteValue
    }

    /// Whether this is SQL NULL.
    package var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The storage class name as SQLite's `typeof()` reports it, for error messages.
    package var typeName: String {
        switch self {
        case .null: "null"
        case .integer: "integer"
        case .real: "real"
        case .text: "text"
        case .blob: "blob"
        }
    }
}

extension SQLiteValue: CustomStringConvertible {
    /// A short rendering for logs; blobs show their size, not their bytes.
    package var description: String {
        switch self {
        case .null: "NULL"
        case .integer(let value): String(value)
        case .real(let value): String(value)
        case .text(let value): "'\(value)'"
        case .blob(let bytes): "<blob \(bytes.count) bytes>"
        }
    }
}

extension SQLiteValue: ExpressibleByNilLiteral {
    package init(nilLiteral: ()) { self = .null }
}

extension SQLiteValue: ExpressibleByIntegerLiteral {
    package init(integerLiteral value: Int64) { self = .integer(value) }
}

extension SQLiteValue: ExpressibleByFloatLiteral {
    package init(floatLiteral value: Double) { self = .real(value) }
}

extension SQLiteValue: ExpressibleByBooleanLiteral {
    package init(booleanLiteral value: Bool) { self = .integer(value ? 1 : 0) }
}

extension SQLiteValue: ExpressibleByStringLiteral {
    package init(stringLiteral value: String) { self = .text(value) }
}
