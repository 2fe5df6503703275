import SpoolJSON

/// The example configuration file, `config/spool.json`: every key of the file with its default, in the order
/// `SpoolSettings` declares them. `spool settings --example` prints it, and a test keeps the shipped file equal to it.
package enum SettingsExample {
    /// The file's text: two-space indents, one setting a line, a list on its setting's line.
    package static func text() -> String {
        let defaults = SpoolConfiguration()
        var root = JSONObject()
        for setting in SpoolSettings.all {
            guard let key = setting.key else { continue }
            insert(setting.jsonValue(in: defaults), at: key.split(separator: ".").map(String.init), into: &root)
        }
        return write(.object(root), indent: "") + "\n"
    }

    private static func insert(_ value: JSONValue, at path: [String], into object: inout JSONObject) {
        guard path.count > 1 else { return object[path[0]] = value }
        var inner = object[path[0]]?.objectValue ?? JSONObject()
        insert(value, at: Array(path.dropFirst()), into: &inner)
        object[path[0]] = .object(inner)
    }

    private static func write(_ value: JSONValue, indent: String) -> String {
        if let items = value.arrayValue {
            return "[" + items.map { write($0, indent: indent) }.joined(separator: ", ") + "]"
        }
        guard let object = value.objectValue, !object.isEmpty else { return value.serializedString() }
        let inner = indent + "  "
        let members = object.map { key, member in
            inner + JSONValue.string(key).serializedString() + ": " + write(member, indent: inner)
        }
        return "{\n" + members.joined(separator: ",\n") + "\n" + indent + "}"
    }
}
