/// A JSON object that remembers the order its keys first appeared in.
///
/// Lookups go through a dictionary of positions; a key set twice keeps its first position and its last value,
/// which is how most parsers treat duplicate keys.
package struct JSONObject: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    package private(set) var keys: [String] = []
    private var values: [String: JSONValue] = [:]

    package init() {}

    package init<S: Sequence>(_ pairs: S) where S.Element == (String, JSONValue) {
        // Sized up front: a job's object has some 25 members, which would otherwise rehash five times.
        keys.reserveCapacity(pairs.underestimatedCount)
        values.reserveCapacity(pairs.underestimatedCount)
        for (key, value) in pairs { self[key] = value }
    }

    package init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }

    package var count: Int { keys.count }
    package var isEmpty: Bool { keys.isEmpty }

    package subscript(key: String) -> JSONValue? {
        get { values[key] }
        set {
            if let newValue {
                if values.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if values.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    package func makeIterator() -> AnyIterator<(key: String, value: JSONValue)> {
        var index = 0
        return AnyIterator {
            guard index < keys.count else { return nil }
            defer { index += 1 }
            let key = keys[index]
            return (key, values[key]!)
        }
    }

    /// Calls `body` with each member's position, key and value, in order; cheaper than iterating the sequence.
    package func forEachMember(_ body: (Int, String, JSONValue) -> Void) {
        for (position, key) in keys.enumerated() { body(position, key, values[key]!) }
    }

    /// Equality ignores key order, as JSON does.
    package static func == (lhs: JSONObject, rhs: JSONObject) -> Bool { lhs.values == rhs.values }
    package func hash(into hasher: inout Hasher) { hasher.combine(values) }
}
