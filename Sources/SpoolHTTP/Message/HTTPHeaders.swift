/// The header fields of a request or response, in order, duplicates kept.
///
/// Names compare case-insensitively (RFC 9110 §5.1) but are written out as they were given.
package struct HTTPHeaders: Sendable, Sequence, ExpressibleByDictionaryLiteral, Equatable {
    package private(set) var fields: [(name: String, value: String)] = []

    package init() {}

    package init(_ fields: [(String, String)]) {
        for (name, value) in fields { add(name, value) }
    }

    package init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    package var count: Int { fields.count }

    /// The first value for `name`, or nil.
    package subscript(name: String) -> String? {
        fields.first { HTTPHeaders.same($0.name, name) }?.value
    }

    /// Every value for `name`, in order.
    package func values(_ name: String) -> [String] {
        fields.filter { HTTPHeaders.same($0.name, name) }.map(\.value)
    }

    package func contains(_ name: String) -> Bool { fields.contains { HTTPHeaders.same($0.name, name) } }

    /// Appends a field, keeping any earlier ones of the same name.
    package mutating func add(_ name: String, _ value: String) { fields.append((name, value)) }

    /// Replaces every field named `name` with one field.
    package mutating func set(_ name: String, _ value: String) {
        remove(name)
        add(name, value)
    }

    package mutating func remove(_ name: String) { fields.removeAll { HTTPHeaders.same($0.name, name) } }

    package func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { fields.makeIterator() }

    package static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.fields.elementsEqual(rhs.fields) { HTTPHeaders.same($0.name, $1.name) && $0.value == $1.value }
    }

    /// ASCII case-insensitive comparison of two field names, without allocating.
    static func same(_ lhs: String, _ rhs: String) -> Bool {
        let left = lhs.utf8, right = rhs.utf8
        guard left.count == right.count else { return false }
        for (a, b) in zip(left, right) where a != b {
            guard a | 0x20 == b | 0x20, (a | 0x20) >= 0x61, (a | 0x20) <= 0x7A else { return false }
        }
        return true
    }
}
