import SpoolJSON

extension SchemaValidator {
    /// Rewrites `value` into the names and types the schema declares, following `properties`, `items`,
    /// `prefixItems` and `$ref` (not `oneOf`/`anyOf`/`allOf`):
    /// - in an object whose schema has `x-aliases`, a member named by an alias is renamed to the property it
    ///   stands for, keeping its position; an alias given beside its property (or beside another alias of it) is
    ///   a problem, and dropped;
    /// - where a property has `x-accepts-numeric-string`, a string of 1 to 18 decimal digits (`"5"`) becomes
    ///   that integer; any other string is left for validation to refuse.
    ///
    /// Nothing else changes: defaults are not filled in and unknown members stay, for validation to report.
    package func normalize(_ value: JSONValue, at path: FieldPath) -> (value: JSONValue, problems: [ValidationProblem]) {
        var problems: [ValidationProblem] = []
        let normalized = normalize(value, node: 0, at: path, depth: 0, into: &problems)
        return (normalized, problems)
    }

    private func normalize(_ value: JSONValue, node id: SchemaNodeID, at path: FieldPath, depth: Int,
                           into problems: inout [ValidationProblem]) -> JSONValue {
        guard depth < SchemaValidator.maximumDepth else { return value }
        let node = nodes[id]
        var value = value
        if let reference = node.reference {
            value = normalize(value, node: reference, at: path, depth: depth + 1, into: &problems)
        }
        switch value {
        case .string(let text) where node.acceptsNumericString:
            return SchemaValidator.decimalInteger(text).map(JSONValue.integer) ?? value
        case .array(let items) where node.items != nil || !node.prefixItems.isEmpty:
            return .array(items.enumerated().map { index, item in
                let itemNode = index < node.prefixItems.count ? node.prefixItems[index] : node.items
                guard let itemNode else { return item }
                return normalize(item, node: itemNode, at: path.appending(index: index), depth: depth + 1, into: &problems)
            })
        case .object(let object) where !node.properties.isEmpty:
            return .object(normalizeMembers(of: object, node, at: path, depth: depth, into: &problems))
        default:
            return value
        }
    }

    private func normalizeMembers(of object: JSONObject, _ node: SchemaNode, at path: FieldPath, depth: Int,
                                  into problems: inout [ValidationProblem]) -> JSONObject {
        var result = JSONObject()
        for (key, member) in object {
            var name = key
            if let alias = node.aliases.first(where: { $0.alias == key }) {
                guard object[alias.name] == nil, result[alias.name] == nil else {
                    problems.append(ValidationProblem(
                        path.appending(key: key), "cannot be given together with \(alias.name): both name the same field"))
                    continue
                }
                name = alias.name
            }
            let memberPath = path.appending(key: name)
            result[name] = node.property(named: name).map {
                normalize(member, node: $0, at: memberPath, depth: depth + 1, into: &problems)
            } ?? member
        }
        return result
    }

    /// The integer spelled by 1 to 18 ASCII digits, or nil.
    private static func decimalInteger(_ text: String) -> Int64? {
        guard (1...18).contains(text.utf8.count),
              text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        return Int64(text)
    }
}
