import SpoolJSON

/// Checks JSON values against a JSON Schema (draft 2020-12), reporting every problem with the path of the value
/// it concerns and a sentence a client can act on.
///
/// Supported keywords: `type` (one or several; `5.0` counts as an integer), `enum`, `const`, `minimum`, `maximum`,
/// `exclusiveMinimum`, `exclusiveMaximum`, `multipleOf`, `minLength`/`maxLength` (counted in Unicode scalars, the
/// "characters" of RFC 8259, so "é" written precomposed is one and a flag emoji is two), `pattern` (ICU regular
/// expressions through `NSRegularExpression`, unanchored as JSON Schema requires), `format: "uri"` (see
/// `URIFormat`), `items`, `prefixItems`, `minItems`, `maxItems`, `uniqueItems`, `properties`, `required`,
/// `additionalProperties`, `allOf`, `anyOf`, `oneOf`, `$ref` to a fragment of the same document (`#/$defs/…`) and
/// `$defs`. `default` is an annotation only: the validator never fills it in. Any other keyword is refused when
/// the schema is compiled; see `SchemaCompiler`.
///
/// Spool's extensions: `x-media-type` narrows `format: "uri"` to fetchable media; `x-aliases` and
/// `x-accepts-numeric-string` are applied by `normalize(_:at:)`, before validation.
package struct SchemaValidator: Sendable {
    /// The schema document as given.
    package let schema: JSONValue
    /// The compiled subschemas; the root is node 0.
    let nodes: [SchemaNode]
    /// How many subschemas deep one check may go: bounds `$ref` cycles that never reach a nested value.
    static let maximumDepth = 200
    /// Whether an unknown field's problem names the nearest known one ("did you mean …?"). Off while the branches
    /// of `anyOf`/`oneOf` are only being tried: a valid input matches one branch and fails the others, whose
    /// problems are then dropped, and finding the nearest names for them cost more than the rest of validation.
    var suggestsNames = true

    /// Compiles `schema`, throwing when it uses a keyword this validator does not implement, gives a keyword a
    /// value of the wrong shape, or refers (`$ref`) to a part of the document that does not exist.
    package init(schema: JSONValue) throws(SchemaError) {
        self.schema = schema
        self.nodes = try SchemaCompiler.compile(schema)
    }

    /// Every problem of `value`, in document order, each with a field path that starts at `path`.
    package func validate(_ value: JSONValue, at path: FieldPath) -> [ValidationProblem] {
        var problems: [ValidationProblem] = []
        check(value, against: 0, at: path, depth: 0, into: &problems)
        return problems
    }

    func check(_ value: JSONValue, against id: SchemaNodeID, at path: FieldPath, depth: Int,
               into problems: inout [ValidationProblem]) {
        guard depth < SchemaValidator.maximumDepth else {
            problems.append(ValidationProblem(path, "is nested too deeply to check"))
            return
        }
        let node = nodes[id]
        if node.acceptsNothing {
            problems.append(ValidationProblem(path, "is not allowed"))
            return
        }
        if let types = node.types, !types.contains(where: { $0.matches(value) }) {
            // The node's other keywords describe a value of the right type; one clear sentence says it all.
            problems.append(ValidationProblem(path, "must be " + node.expectation))
            return
        }
        if let reference = node.reference {
            check(value, against: reference, at: path, depth: depth + 1, into: &problems)
        }
        if let allowed = node.allowedValues, !allowed.contains(where: value.isSchemaEqual(to:)) {
            problems.append(ValidationProblem(path, "must be " + SchemaNode.choice(allowed)))
        }
        if let constant = node.constant, !value.isSchemaEqual(to: constant) {
            problems.append(ValidationProblem(path, "must be " + SchemaNode.render(constant)))
        }
        switch value {
        case .integer, .number: checkNumber(value, node, at: path, into: &problems)
        case .string(let text): checkString(text, node, at: path, into: &problems)
        case .array(let items): checkArray(items, node, at: path, depth: depth, into: &problems)
        case .object(let object): checkObject(object, node, at: path, depth: depth, into: &problems)
        case .null, .bool: break
        }
        checkCombinators(value, node, at: path, depth: depth, into: &problems)
    }
}
