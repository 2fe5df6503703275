import SpoolJSON

extension JSONValue {
    /// Equality as JSON Schema defines it for `enum`, `const` and `uniqueItems`: numbers are equal when their
    /// values are (`5` equals `5.0`), arrays item by item, objects member by member regardless of order.
    func isSchemaEqual(to other: JSONValue) -> Bool {
        switch (self, other) {
        case let (.integer(left), .integer(right)):
            return left == right
        case (.integer, .number), (.number, .integer), (.number, .number):
            return doubleValue == other.doubleValue
        case let (.array(left), .array(right)):
            return left.count == right.count && zip(left, right).allSatisfy { $0.isSchemaEqual(to: $1) }
        case let (.object(left), .object(right)):
            guard left.count == right.count else { return false }
            return left.allSatisfy { key, value in right[key].map { value.isSchemaEqual(to: $0) } ?? false }
        default:
            return self == other
        }
    }
}
