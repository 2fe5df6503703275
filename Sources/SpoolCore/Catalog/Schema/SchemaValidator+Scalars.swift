import SpoolJSON

extension SchemaValidator {
    func checkNumber(_ value: JSONValue, _ node: SchemaNode, at path: FieldPath, into problems: inout [ValidationProblem]) {
        guard let number = value.doubleValue else { return }
        var inRange = true
        if let minimum = node.minimum, number < minimum { inRange = false }
        if let maximum = node.maximum, number > maximum { inRange = false }
        if let exclusiveMinimum = node.exclusiveMinimum, number <= exclusiveMinimum { inRange = false }
        if let exclusiveMaximum = node.exclusiveMaximum, number >= exclusiveMaximum { inRange = false }
        if !inRange {
            problems.append(ValidationProblem(path, "must be " + node.numericExpectation))
        }
        if let multipleOf = node.multipleOf, !SchemaValidator.isMultiple(value, of: multipleOf) {
            problems.append(ValidationProblem(path, "must be a multiple of \(SchemaNode.format(multipleOf))"))
        }
    }

    /// Exact for integers; for fractions, a quotient within a rounding error of a whole number counts.
    private static func isMultiple(_ value: JSONValue, of divisor: Double) -> Bool {
        if case .integer(let integer) = value, divisor.rounded() == divisor, divisor < 9.0e15 {
            return integer % Int64(divisor) == 0
        }
        guard let number = value.doubleValue else { return false }
        let quotient = number / divisor
        return abs(quotient - quotient.rounded()) <= 1e-9 * max(1, abs(quotient))
    }

    func checkString(_ text: String, _ node: SchemaNode, at path: FieldPath, into problems: inout [ValidationProblem]) {
        if node.minLength != nil || node.maxLength != nil {
            let length = text.unicodeScalars.count
            if let minLength = node.minLength, length < minLength {
                let message = minLength == 1
                    ? "must not be empty"
                    : "must be at least \(SchemaValidator.characters(minLength)) long (it has \(length))"
                problems.append(ValidationProblem(path, message))
            }
            if let maxLength = node.maxLength, length > maxLength {
                let limit = SchemaValidator.characters(maxLength)
                problems.append(ValidationProblem(path, "must be at most \(limit) long (it has \(length))"))
            }
        }
        if let pattern = node.pattern, !pattern.matches(text) {
            problems.append(ValidationProblem(path, "must match the pattern \(pattern.source)"))
        }
        if node.format == "uri", let message = URIFormat.problem(with: text, mediaType: node.mediaType) {
            problems.append(ValidationProblem(path, message))
        }
    }

    private static func characters(_ count: Int) -> String { count == 1 ? "1 character" : "\(count) characters" }
}
