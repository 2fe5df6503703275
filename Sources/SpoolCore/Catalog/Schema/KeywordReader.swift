import Foundation
import SpoolJSON

/// Reads one keyword's value while compiling a schema, throwing an error that names the keyword and the
/// subschema when the value has the wrong shape.
struct KeywordReader {
    let pointer: String
    let keyword: String
    let value: JSONValue

    func error(_ message: String) -> SchemaError {
        SchemaError(pointer: pointer, message: message)
    }

    private func mismatch(_ expected: String) -> SchemaError {
        error("\(keyword) must be \(expected), not \(value.typeName)")
    }

    func string() throws(SchemaError) -> String {
        guard let string = value.stringValue else { throw mismatch("a string") }
        return string
    }

    func bool() throws(SchemaError) -> Bool {
        guard let bool = value.boolValue else { throw mismatch("a boolean") }
        return bool
    }

    func number() throws(SchemaError) -> Double {
        guard let number = value.doubleValue else { throw mismatch("a number") }
        return number
    }

    func positiveNumber() throws(SchemaError) -> Double {
        let number = try number()
        guard number > 0 else { throw error("\(keyword) must be greater than 0") }
        return number
    }

    /// A non-negative integer, as the length and count keywords take.
    func count() throws(SchemaError) -> Int {
        guard let integer = value.integerValue, integer >= 0, integer <= Int64(Int32.max) else {
            throw error("\(keyword) must be a non-negative integer")
        }
        return Int(integer)
    }

    func object() throws(SchemaError) -> JSONObject {
        guard let object = value.objectValue else { throw mismatch("an object") }
        return object
    }

    func nonEmptyArray() throws(SchemaError) -> [JSONValue] {
        guard let array = value.arrayValue else { throw mismatch("an array") }
        guard !array.isEmpty else { throw error("\(keyword) must not be empty") }
        return array
    }

    func strings() throws(SchemaError) -> [String] {
        guard let array = value.arrayValue else { throw mismatch("an array of strings") }
        var strings: [String] = []
        for item in array {
            guard let string = item.stringValue else { throw mismatch("an array of strings") }
            strings.append(string)
        }
        return strings
    }

    func stringMap() throws(SchemaError) -> [(key: String, value: String)] {
        var pairs: [(key: String, value: String)] = []
        for (key, item) in try object() {
            guard let string = item.stringValue else { throw error("\(keyword) must map names to strings") }
            pairs.append((key: key, value: string))
        }
        return pairs
    }

    /// `type`: one type name or a non-empty array of them.
    func types() throws(SchemaError) -> [JSONType] {
        let names = value.stringValue.map { [$0] } ?? (try? strings()) ?? []
        guard !names.isEmpty else { throw error("type must be a type name or a non-empty array of type names") }
        var types: [JSONType] = []
        for name in names {
            guard let type = JSONType(rawValue: name) else { throw error("type \"\(name)\" is not a JSON type") }
            types.append(type)
        }
        return types
    }

    func pattern() throws(SchemaError) -> SchemaPattern {
        let source = try string()
        do {
            return SchemaPattern(source: source, expression: try NSRegularExpression(pattern: source))
        } catch {
            throw self.error("pattern \"\(source)\" is not a valid regular expression")
        }
    }

    /// `x-media-type`: a top-level media type such as `image` or `video` (lowercase letters only).
    func mediaType() throws(SchemaError) -> String {
        let type = try string()
        guard !type.isEmpty, type.utf8.allSatisfy({ (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) }) else {
            throw error("x-media-type must be a top-level media type such as \"image\"")
        }
        return type
    }
}
