import SpoolJSON

/// One thing wrong with a submitted input: the field it concerns and a sentence that says what is expected.
///
/// `field` is a path such as `input.elements[0].video_url`; `message` completes a sentence whose subject is that
/// field ("must be an integer from 3 to 15", "is required"). Both go to clients unchanged as an entry of the
/// error's `details`.
package struct ValidationProblem: Sendable, Hashable, CustomStringConvertible {
    package let field: String
    package let message: String

    package init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    init(_ path: FieldPath, _ message: String) {
        self.init(field: path.description, message: message)
    }

    /// The entry for an error's `details` array: `{"field": …, "message": …}`.
    package var jsonValue: JSONValue { ["field": .string(field), "message": .string(message)] }

    package var description: String { "\(field): \(message)" }
}

/// The outcome of checking a job's input against its model.
package enum ValidationResult: Sendable, Equatable {
    /// The input as it will be stored and echoed: fal's alias names replaced by Spool's, numeric strings that a
    /// field accepts turned into integers, defaults not filled in.
    case accepted(JSONValue)
    /// Every problem found, schema and cross-field alike, in a stable order.
    case rejected([ValidationProblem])

    /// The accepted input, or nil when it was rejected.
    package var acceptedInput: JSONValue? {
        if case .accepted(let input) = self { return input }
        return nil
    }

    /// The problems found, empty when the input was accepted.
    package var problems: [ValidationProblem] {
        if case .rejected(let problems) = self { return problems }
        return []
    }
}
