import SpoolJSON

/// Constructors for the JSON Schema 2020-12 objects of the OpenAPI document, so that each schema reads like the
/// contract's own description of a field.
enum OpenAPISchema {
    /// A reference to `components.schemas[name]`.
    static func ref(_ name: String) -> JSONValue {
        ["$ref": .string("#/components/schemas/" + name)]
    }

    static func string(
        _ description: String, format: String? = nil, pattern: String? = nil, maxLength: Int? = nil,
        example: String? = nil
    ) -> JSONValue {
        var schema: JSONObject = ["type": "string", "description": .string(description)]
        if let format { schema["format"] = .string(format) }
        if let pattern { schema["pattern"] = .string(pattern) }
        if let maxLength { schema["maxLength"] = .integer(Int64(maxLength)) }
        if let example { schema["examples"] = [.string(example)] }
        return .object(schema)
    }

    /// A string that is one of `values`.
    static func choice(_ description: String, _ values: [String], default value: String? = nil) -> JSONValue {
        var schema: JSONObject = [
            "type": "string", "enum": .array(values.map(JSONValue.string)), "description": .string(description),
        ]
        if let value { schema["default"] = .string(value) }
        return .object(schema)
    }

    /// A string that is exactly `value`, such as the `object` member of a resource.
    static func constant(_ value: String) -> JSONValue {
        ["type": "string", "const": .string(value)]
    }

    static func integer(
        _ description: String, minimum: Int? = nil, maximum: Int? = nil, default value: Int? = nil
    ) -> JSONValue {
        var schema: JSONObject = ["type": "integer", "description": .string(description)]
        if let minimum { schema["minimum"] = .integer(Int64(minimum)) }
        if let maximum { schema["maximum"] = .integer(Int64(maximum)) }
        if let value { schema["default"] = .integer(Int64(value)) }
        return .object(schema)
    }

    static func number(_ description: String, minimum: Double? = nil) -> JSONValue {
        var schema: JSONObject = ["type": "number", "description": .string(description)]
        if let minimum { schema["minimum"] = .number(minimum) }
        return .object(schema)
    }

    static func boolean(_ description: String) -> JSONValue {
        ["type": "boolean", "description": .string(description)]
    }

    /// An RFC 3339 UTC time with milliseconds.
    static func timestamp(_ description: String) -> JSONValue {
        string(description, format: "date-time", example: "2026-11-25T09:00:00.123Z")
    }

    static func array(_ items: JSONValue, _ description: String, minItems: Int? = nil) -> JSONValue {
        var schema: JSONObject = ["type": "array", "items": items, "description": .string(description)]
        if let minItems { schema["minItems"] = .integer(Int64(minItems)) }
        return .object(schema)
    }

    /// An object whose members are listed in order; `required` defaults to every member.
    /// Bytes of any kind (a stored file).
    static let binaryBody: JSONValue = ["type": "string", "contentMediaType": "application/octet-stream"]

    static func object(
        _ description: String, _ properties: [(String, JSONValue)], required: [String]? = nil,
        additionalProperties: JSONValue? = nil
    ) -> JSONValue {
        var schema: JSONObject = [
            "type": "object", "description": .string(description), "properties": .object(JSONObject(properties)),
            "required": .array((required ?? properties.map(\.0)).map(JSONValue.string)),
        ]
        if let additionalProperties { schema["additionalProperties"] = additionalProperties }
        return .object(schema)
    }

    /// `schema`, or null. A typed schema gets `"null"` added to its `type` (and to its `enum`); anything else,
    /// such as a reference, is wrapped as `anyOf: [schema, {"type": "null"}]`.
    static func nullable(_ schema: JSONValue) -> JSONValue {
        guard var object = schema.objectValue, case .string(let type)? = object["type"] else {
            return ["anyOf": [schema, ["type": "null"]]]
        }
        object["type"] = [.string(type), "null"]
        if case .array(var values)? = object["enum"] {
            values.append(.null)
            object["enum"] = .array(values)
        }
        return .object(object)
    }

    /// `schema` with `members` added, or replacing those of the same name.
    static func with(_ schema: JSONValue, _ members: [(String, JSONValue)]) -> JSONValue {
        guard var object = schema.objectValue else { return schema }
        for (key, value) in members { object[key] = value }
        return .object(object)
    }
}
