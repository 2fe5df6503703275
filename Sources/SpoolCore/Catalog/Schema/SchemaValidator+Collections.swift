import SpoolJSON

extension SchemaValidator {
    func checkArray(_ items: [JSONValue], _ node: SchemaNode, at path: FieldPath, depth: Int,
                    into problems: inout [ValidationProblem]) {
        if let minItems = node.minItems, items.count < minItems {
            let message = minItems == 1 ? "must not be empty" : "must have at least \(minItems) items (it has \(items.count))"
            problems.append(ValidationProblem(path, message))
        }
        if let maxItems = node.maxItems, items.count > maxItems {
            let limit = maxItems == 1 ? "1 item" : "\(maxItems) items"
            problems.append(ValidationProblem(path, "must have at most \(limit) (it has \(items.count))"))
        }
        if node.uniqueItems, let (first, second) = SchemaValidator.firstDuplicate(in: items) {
            problems.append(ValidationProblem(path, "must not contain duplicates (items \(first) and \(second) are equal)"))
        }
        for (index, item) in items.enumerated() {
            let itemNode = index < node.prefixItems.count ? node.prefixItems[index] : node.items
            guard let itemNode else { continue }
            check(item, against: itemNode, at: path.appending(index: index), depth: depth + 1, into: &problems)
        }
    }

    /// The indexes of the first two equal items, found by hashing a canonical form (so `5` and `5.0` collide).
    private static func firstDuplicate(in items: [JSONValue]) -> (Int, Int)? {
        var firstIndexes: [JSONValue: Int] = [:]
        for (index, item) in items.enumerated() {
            let key = canonical(item)
            if let earlier = firstIndexes[key] { return (earlier, index) }
            firstIndexes[key] = index
        }
        return nil
    }

    /// `item` with every integral `.number` written as `.integer`, so that schema-equal values are `==`.
    private static func canonical(_ item: JSONValue) -> JSONValue {
        switch item {
        case .number(let number):
            if let integer = item.integerValue, Double(integer) == number { return .integer(integer) }
            return item
        case .array(let values): return .array(values.map(canonical))
        case .object(let object): return .object(JSONObject(object.map { ($0.key, canonical($0.value)) }))
        default: return item
        }
    }

    func checkObject(_ object: JSONObject, _ node: SchemaNode, at path: FieldPath, depth: Int,
                     into problems: inout [ValidationProblem]) {
        for (key, value) in object {
            let memberPath = path.appending(key: key)
            if let property = node.property(named: key) {
                check(value, against: property, at: memberPath, depth: depth + 1, into: &problems)
            } else if let additional = node.additionalProperties {
                if nodes[additional].acceptsNothing {
                    let nearest = suggestsNames ? NearestName.suggestion(for: key, among: node.properties.map(\.name)) : nil
                    problems.append(ValidationProblem(
                        memberPath, "is not a known field" + (nearest.map { "; did you mean \($0)?" } ?? "")))
                } else {
                    check(value, against: additional, at: memberPath, depth: depth + 1, into: &problems)
                }
            }
        }
        for name in node.required where object[name] == nil {
            problems.append(ValidationProblem(path.appending(key: name), "is required"))
        }
    }
}
