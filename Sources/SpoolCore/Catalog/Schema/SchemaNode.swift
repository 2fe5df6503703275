import Foundation
import SpoolJSON

/// The position of a compiled subschema in its validator's node table.
typealias SchemaNodeID = Int

/// The JSON types a schema's `type` keyword can name.
enum JSONType: String, Sendable, CaseIterable {
    case null, boolean, integer, number, string, array, object

    /// Whether `value` has this type. As JSON Schema says, a number with a zero fractional part (`5.0`) is an
    /// integer, and every integer is a number.
    func matches(_ value: JSONValue) -> Bool {
        switch (self, value) {
        case (.null, .null), (.boolean, .bool), (.string, .string), (.array, .array), (.object, .object): return true
        case (.integer, .integer), (.number, .integer), (.number, .number): return true
        case (.integer, .number(let number)): return number.rounded() == number && number.isFinite
        default: return false
        }
    }
}

/// A regular expression from a `pattern` keyword, compiled once when the schema is loaded.
struct SchemaPattern: Sendable {
    let source: String
    let expression: NSRegularExpression

    /// Whether the expression matches anywhere in `text` (JSON Schema patterns are not implicitly anchored).
    func matches(_ text: String) -> Bool {
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        return expression.firstMatch(in: text, options: [], range: range) != nil
    }
}

/// One property declared by a schema's `properties` keyword.
struct SchemaProperty: Sendable {
    let name: String
    let node: SchemaNodeID
}

/// One subschema after compilation: its keywords checked and parsed, its subschemas replaced by node ids
/// (including `$ref` targets), so that validation never looks at the schema's JSON again.
///
/// Every keyword is optional; an empty node accepts everything, and `acceptsNothing` is the `false` schema.
struct SchemaNode: Sendable {
    /// Where this subschema sits in the schema document, as a JSON Pointer fragment (`#/properties/prompt`).
    let pointer: String
    var acceptsNothing = false
    var title: String?

    var types: [JSONType]?
    var allowedValues: [JSONValue]?
    var constant: JSONValue?

    var minimum: Double?
    var maximum: Double?
    var exclusiveMinimum: Double?
    var exclusiveMaximum: Double?
    var multipleOf: Double?

    var minLength: Int?
    var maxLength: Int?
    var pattern: SchemaPattern?
    var format: String?
    /// Spool's `x-media-type` (`"image"`, `"video"`): with `format: "uri"`, only http(s) URLs and data: URIs of
    /// that kind of media are accepted.
    var mediaType: String?

    var prefixItems: [SchemaNodeID] = []
    var items: SchemaNodeID?
    var minItems: Int?
    var maxItems: Int?
    var uniqueItems = false

    var properties: [SchemaProperty] = []
    var required: [String] = []
    var additionalProperties: SchemaNodeID?

    var allOf: [SchemaNodeID] = []
    var anyOf: [SchemaNodeID] = []
    var oneOf: [SchemaNodeID] = []
    /// The target of `$ref`, resolved once the whole document is compiled.
    var reference: SchemaNodeID?

    /// Spool's `x-aliases`: other names accepted for declared properties, as (alias, Spool name) pairs.
    var aliases: [(alias: String, name: String)] = []
    /// Spool's `x-accepts-numeric-string`: a string of decimal digits is taken as the integer it spells.
    var acceptsNumericString = false

    init(pointer: String) {
        self.pointer = pointer
    }

    func property(named name: String) -> SchemaNodeID? {
        properties.first { $0.name == name }?.node
    }
}

/// Why a schema cannot be used: the subschema concerned (a JSON Pointer fragment) and what is wrong with it.
package struct SchemaError: Error, Sendable, Equatable, CustomStringConvertible {
    package let pointer: String
    package let message: String

    package var description: String { "\(pointer): \(message)" }
}
