/// Response header fields in the order received, duplicates kept; names compare ASCII case-insensitively.
package struct HTTPClientHeaders: Sendable, Sequence, ExpressibleByArrayLiteral {
    package private(set) var fields: [(name: String, value: String)]

    package init(_ fields: [(String, String)] = []) {
        self.fields = fields.map { (name: $0.0, value: $0.1) }
    }

    package init(arrayLiteral elements: (String, String)...) { self.init(elements) }

    /// The first value of `name`, or nil.
    package subscript(name: String) -> String? {
        fields.first { Self.sameName($0.name, name) }?.value
    }

    /// Every value of `name`, in order.
    package func values(_ name: String) -> [String] {
        fields.filter { Self.sameName($0.name, name) }.map(\.value)
    }

    package mutating func add(_ name: String, _ value: String) { fields.append((name, value)) }

    /// Continues the last field's value with an obsolete folded line.
    mutating func continueLastValue(with text: String) {
        guard !fields.isEmpty else { return }
        fields[fields.count - 1].value += " " + text
    }

    package func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { fields.makeIterator() }

    static func sameName(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.count == rhs.utf8.count && lhs.lowercased() == rhs.lowercased()
    }
}
