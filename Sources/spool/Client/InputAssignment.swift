import ArgumentParser
import SpoolJSON

/// One `-i name=value` of `spool jobs submit`, typed the way a person means it: `5` and `2.5` are numbers,
/// `true`/`false` booleans, `null` null, text that parses as a JSON array or object is that, and anything else is
/// a string (so `-i prompt=a cat` needs no quotes inside).
struct InputAssignment: ExpressibleByArgument {
    let name: String
    let value: JSONValue

    init?(argument: String) {
        guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else { return nil }
        name = String(argument[..<equals])
        value = Self.typed(String(argument[argument.index(after: equals)...]))
    }

    static func typed(_ text: String) -> JSONValue {
        if text == "true" { return true }
        if text == "false" { return false }
        if text == "null" { return .null }
        if let integer = Int64(text) { return .integer(integer) }
        if let number = Double(text), number.isFinite, text.first != "." { return .number(number) }
        if text.hasPrefix("[") || text.hasPrefix("{"), let parsed = try? JSONValue(parsing: text),
           parsed.arrayValue != nil || parsed.objectValue != nil {
            return parsed
        }
        return .string(text)
    }
}
