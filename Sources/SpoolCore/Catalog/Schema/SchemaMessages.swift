import SpoolJSON

/// The phrases validation messages are built from. A message completes a sentence whose subject is the field:
/// "must be " + `expectation` gives "must be an integer from 3 to 15" or "must be one of \"16:9\", \"9:16\", \"1:1\"".
extension SchemaNode {
    /// What a value must be, as precisely as the node's `enum`, `const`, `type` and numeric bounds allow.
    var expectation: String {
        if let allowedValues { return SchemaNode.choice(allowedValues) }
        if let constant { return SchemaNode.render(constant) }
        guard let types, !types.isEmpty else { return "a valid value" }
        return types.map(phrase(for:)).joined(separator: " or ")
    }

    /// What a number must be: its type (integer or number) and its bounds.
    var numericExpectation: String {
        let isInteger = types.map { $0.contains(.integer) && !$0.contains(.number) } ?? false
        return phrase(for: isInteger ? .integer : .number)
    }

    private func phrase(for type: JSONType) -> String {
        switch type {
        case .integer: return "an integer" + bounds
        case .number: return "a number" + bounds
        case .string: return "a string"
        case .boolean: return "true or false"
        case .array: return "an array"
        case .object: return "an object"
        case .null: return "null"
        }
    }

    /// The numeric bounds as a phrase: " from 3 to 15", " of at least 1", " greater than 0 and at most 10", or "".
    private var bounds: String {
        let lower: (value: Double, exclusive: Bool)? = exclusiveMinimum.map { ($0, true) } ?? minimum.map { ($0, false) }
        let upper: (value: Double, exclusive: Bool)? = exclusiveMaximum.map { ($0, true) } ?? maximum.map { ($0, false) }
        switch (lower, upper) {
        case let (lower?, upper?) where !lower.exclusive && !upper.exclusive:
            return " from \(SchemaNode.format(lower.value)) to \(SchemaNode.format(upper.value))"
        case let (lower?, upper?):
            return " " + SchemaNode.lowerPhrase(lower) + " and " + SchemaNode.upperPhrase(upper)
        case let (lower?, nil):
            return lower.exclusive ? " " + SchemaNode.lowerPhrase(lower) : " of at least \(SchemaNode.format(lower.value))"
        case let (nil, upper?):
            return upper.exclusive ? " " + SchemaNode.upperPhrase(upper) : " of at most \(SchemaNode.format(upper.value))"
        case (nil, nil):
            return ""
        }
    }

    private static func lowerPhrase(_ bound: (value: Double, exclusive: Bool)) -> String {
        (bound.exclusive ? "greater than " : "at least ") + format(bound.value)
    }

    private static func upperPhrase(_ bound: (value: Double, exclusive: Bool)) -> String {
        (bound.exclusive ? "less than " : "at most ") + format(bound.value)
    }

    /// A short name for this node as one alternative of `oneOf`/`anyOf`: its `title`, the set of properties it
    /// declares (`{frontal_image_url, reference_image_urls}`), or its expectation.
    /// A bare `{"$ref": …}` alternative is named after its target (one step, so that cycles cannot loop).
    func alternativeName(in nodes: [SchemaNode]) -> String {
        if title == nil, properties.isEmpty, types == nil, let reference { return nodes[reference].ownName }
        return ownName
    }

    private var ownName: String {
        if let title { return title }
        if !properties.isEmpty { return "{" + properties.map(\.name).joined(separator: ", ") + "}" }
        return expectation
    }

    /// "one of \"a\", \"b\"", or just "\"a\"" for a single value.
    static func choice(_ values: [JSONValue]) -> String {
        let rendered = values.map(render)
        return rendered.count == 1 ? rendered[0] : "one of " + rendered.joined(separator: ", ")
    }

    /// A JSON value as it would be written in a request, with integral numbers written without a fraction.
    static func render(_ value: JSONValue) -> String {
        switch value {
        case .integer(let integer): return String(integer)
        case .number(let number): return format(number)
        default: return value.serializedString()
        }
    }

    static func format(_ number: Double) -> String {
        if number.rounded() == number, abs(number) < 1e15 { return String(Int64(number)) }
        return String(number)
    }
}
