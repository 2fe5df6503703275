import SpoolCore
import SpoolJSON
import Testing

/// The validator on its own, with small schemas written for each keyword.
@Suite("JSON Schema validator")
struct SchemaValidatorTests {
    private func problems(_ schema: String, _ value: String) throws -> [String] {
        let validator = try SchemaValidator(schema: JSONValue(parsing: schema))
        return try validator.validate(JSONValue(parsing: value), at: FieldPath("input")).map(\.description)
    }

    private func schemaError(_ schema: String) throws -> SchemaError {
        let document = try JSONValue(parsing: schema)
        return try #require(throws: SchemaError.self) { try SchemaValidator(schema: document) }
    }

    @Test("type may list several types; a whole number written with a fraction is an integer")
    func types() throws {
        let schema = #"{"type": ["integer", "null"]}"#
        #expect(try problems(schema, "null").isEmpty)
        #expect(try problems(schema, "5.0").isEmpty)
        #expect(try problems(schema, "5.5") == ["input: must be an integer or null"])
        #expect(try problems(#"{"type": "number"}"#, "7").isEmpty)
        #expect(try problems(#"{"type": "object"}"#, #""x""#) == ["input: must be an object"])
    }

    @Test("enum and const compare numbers by value")
    func enumAndConst() throws {
        #expect(try problems(#"{"enum": [1, "one", [2]]}"#, "1.0").isEmpty)
        #expect(try problems(#"{"enum": [1, "one", [2]]}"#, "[2.0]").isEmpty)
        #expect(try problems(#"{"enum": [1, "one"]}"#, "2") == [#"input: must be one of 1, "one""#])
        #expect(try problems(#"{"const": {"a": 1}}"#, #"{"a": 1.0}"#).isEmpty)
        #expect(try problems(#"{"const": "x"}"#, #""y""#) == [#"input: must be "x""#])
    }

    @Test("numeric bounds are described in one phrase")
    func bounds() throws {
        #expect(try problems(#"{"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1}"#, "1")
            == ["input: must be a number greater than 0 and less than 1"])
        #expect(try problems(#"{"type": "integer", "minimum": 1}"#, "0") == ["input: must be an integer of at least 1"])
        #expect(try problems(#"{"type": "number", "maximum": 2.5}"#, "3") == ["input: must be a number of at most 2.5"])
        #expect(try problems(#"{"multipleOf": 0.1}"#, "0.3").isEmpty)
        #expect(try problems(#"{"multipleOf": 5}"#, "12") == ["input: must be a multiple of 5"])
    }

    @Test("string length counts Unicode scalars")
    func lengthInScalars() throws {
        let schema = #"{"type": "string", "maxLength": 1}"#
        #expect(try problems(schema, "\"\u{E9}\"").isEmpty)
        #expect(try problems(schema, "\"e\u{301}\"") == ["input: must be at most 1 character long (it has 2)"])
        #expect(try problems(#"{"minLength": 3}"#, #""ab""#) == ["input: must be at least 3 characters long (it has 2)"])
    }

    @Test("pattern matches anywhere unless anchored")
    func pattern() throws {
        #expect(try problems(#"{"pattern": "b+"}"#, #""abc""#).isEmpty)
        #expect(try problems(#"{"pattern": "^[a-z]+$"}"#, #""abc1""#) == ["input: must match the pattern ^[a-z]+$"])
        #expect(try schemaError(#"{"pattern": "("}"#).message == #"pattern "(" is not a valid regular expression"#)
    }

    @Test("arrays: counts, uniqueness, prefixItems and items")
    func arrays() throws {
        #expect(try problems(#"{"uniqueItems": true}"#, #"[1, "1", 1.0]"#)
            == ["input: must not contain duplicates (items 0 and 2 are equal)"])
        #expect(try problems(#"{"minItems": 2}"#, "[1]") == ["input: must have at least 2 items (it has 1)"])
        let tuple = #"{"prefixItems": [{"type": "string"}, {"type": "integer"}], "items": false}"#
        #expect(try problems(tuple, #"["a", 1]"#).isEmpty)
        #expect(try problems(tuple, #"[1, "a", null]"#)
            == ["input[0]: must be a string", "input[1]: must be an integer", "input[2]: is not allowed"])
    }

    @Test("objects: required, additionalProperties as a schema, odd keys quoted in paths")
    func objects() throws {
        let schema = #"{"properties": {"a": {"type": "string"}}, "required": ["a", "b"], "additionalProperties": {"type": "integer"}}"#
        #expect(try problems(schema, #"{"a": "x", "b": 1, "c d": 2}"#).isEmpty)
        #expect(try problems(schema, #"{"a": 1, "c d": "x"}"#)
            == ["input.a: must be a string", #"input["c d"]: must be an integer"#, "input.b: is required"])
    }

    @Test("allOf reports every branch; anyOf and oneOf explain what would match")
    func combinators() throws {
        #expect(try problems(#"{"allOf": [{"minimum": 2}, {"multipleOf": 2}]}"#, "1")
            == ["input: must be a number of at least 2", "input: must be a multiple of 2"])
        #expect(try problems(#"{"anyOf": [{"type": "string"}, {"type": "integer"}]}"#, "1.5")
            == ["input: must match at least one of: a string or an integer"])
        let overlapping = #"{"oneOf": [{"type": "integer"}, {"minimum": 0, "title": "a non-negative number"}]}"#
        #expect(try problems(overlapping, "3")
            == ["input: must match exactly one of: an integer or a non-negative number, but it matches 2 of them"])
        #expect(try problems(overlapping, "-1.5") == ["input: must match exactly one of: an integer or a non-negative number"])
    }

    @Test("$ref reaches $defs, also recursively")
    func references() throws {
        let tree = ##"""
            {"$ref": "#/$defs/node",
             "$defs": {"node": {"type": "object", "additionalProperties": false,
                                "properties": {"children": {"type": "array", "items": {"$ref": "#/$defs/node"}},
                                               "name": {"type": "string"}}}}}
            """##
        #expect(try problems(tree, #"{"name": "a", "children": [{"name": "b", "children": [{"name": 3}]}]}"#)
            == ["input.children[0].children[0].name: must be a string"])
        #expect(try schemaError(##"{"$ref": "#/$defs/missing"}"##).message == ##"$ref "#/$defs/missing" points to nothing in the document"##)
        #expect(try problems(##"{"$ref": "#"}"##, "1") == ["input: is nested too deeply to check"])
    }

    @Test("keywords it does not implement, and misshapen ones, are refused when compiling")
    func strictCompilation() throws {
        let unknown = try schemaError(#"{"properties": {"a": {"if": {}}}}"#)
        #expect(unknown.pointer == "#/properties/a")
        #expect(unknown.message == #"keyword "if" is not supported"#)
        #expect(try schemaError(#"{"maxLength": -1}"#).message == "maxLength must be a non-negative integer")
        #expect(try schemaError(#"{"type": "text"}"#).message == #"type "text" is not a JSON type"#)
        #expect(try schemaError(#"{"format": "email"}"#).message == #"format "email" is not supported"#)
        #expect(try schemaError(#"{"x-accepts-numeric-string": true}"#).message == #"x-accepts-numeric-string needs "type": "integer""#)
        #expect(try problems(#"{"title": "t", "default": 1, "examples": [], "x-anything": 1}"#, "2").isEmpty)
    }

    @Test("format uri: any absolute URI; data: URIs must be well formed")
    func plainURIFormat() throws {
        let schema = #"{"format": "uri"}"#
        for uri in ["mailto:a@example.com", "urn:isbn:0451450523", "data:,hello%20world", "data:text/plain;base64,SGVsbG8="] {
            #expect(try problems(schema, "\"\(uri)\"").isEmpty, "\(uri)")
        }
        #expect(try problems(schema, #""example.com/a""#) == ["input: must be an absolute URI with a scheme, such as https://example.com/file"])
        #expect(try problems(schema, #""data:text/plain;base64,SGVsbG8""#) == [#"input: must carry valid base64 data after "base64,""#])
        #expect(try problems(schema, #""https://example.com/a b""#)
            == ["input: must be a valid URI: spaces and other special characters must be percent-encoded"])
        #expect(try problems(schema, #""https://example.com/%zz""#)
            == ["input: must be a valid URI: spaces and other special characters must be percent-encoded"])
    }

    @Test("normalisation renames aliases and reads numeric strings, without validating")
    func normalisation() throws {
        let schema = #"{"properties": {"n": {"type": "integer", "x-accepts-numeric-string": true}, "a": {}}, "x-aliases": {"b": "a"}}"#
        let validator = try SchemaValidator(schema: JSONValue(parsing: schema))
        let (value, problems) = validator.normalize(["b": 1, "n": "12", "z": "7"], at: FieldPath("input"))
        #expect(problems.isEmpty)
        #expect(value == ["a": 1, "n": 12, "z": "7"])
        #expect(validator.normalize(["n": "1.5"], at: FieldPath("input")).value == ["n": "1.5"])
        #expect(try schemaError(#"{"properties": {"a": {}}, "x-aliases": {"b": "c"}}"#).message
            == #"x-aliases maps "b" to "c", which is not a declared property"#)
    }

    @Test("an unwritten path finds the same problems as a written one, and names only the root")
    func unwrittenPaths() throws {
        let schema = #"{"properties": {"items": {"type": "array", "items": {"properties": {"url": {"type": "string"}}}}}}"#
        let validator = try SchemaValidator(schema: JSONValue(parsing: schema))
        let value = try JSONValue(parsing: #"{"items": [{"url": "a"}, {"url": 3}]}"#)
        #expect(validator.validate(value, at: FieldPath("input")).map(\.description) == ["input.items[1].url: must be a string"])
        #expect(validator.validate(value, at: .unwritten("input")).map(\.description) == ["input: must be a string"])
        #expect(FieldPath.unwritten("input").appending(key: "a").appending(index: 2).description == "input")
        #expect(validator.validate(try JSONValue(parsing: #"{"items": [{"url": "a"}]}"#), at: .unwritten("input")).isEmpty)
    }
}
