import SpoolJSON

/// Reads the members of one catalog file, turning every shape mistake into a `CatalogError` that names the file
/// and the member (`pricing.usd_per_second must be a number`).
struct ModelFileReader {
    let file: String
    let object: JSONObject
    /// The path of `object` inside the file, with a trailing dot (`"pricing."`), empty at the top.
    private let prefix: String

    /// Reads a whole file's document, which must be an object with only the members `allowedKeys`.
    init(document: JSONValue, file: String, allowedKeys: Set<String>) throws(CatalogError) {
        guard let object = document.objectValue else {
            throw CatalogError(file: file, message: "must hold a JSON object, not \(document.typeName)")
        }
        self.init(file: file, object: object, prefix: "")
        try expectOnly(allowedKeys)
    }

    private init(file: String, object: JSONObject, prefix: String) {
        self.file = file
        self.object = object
        self.prefix = prefix
    }

    func failure(_ message: String) -> CatalogError { CatalogError(file: file, message: message) }

    func optionalValue(_ key: String) -> JSONValue? { object[key] }

    func value(_ key: String) throws(CatalogError) -> JSONValue {
        guard let value = object[key] else { throw failure("\(prefix)\(key) is required") }
        return value
    }

    func string(_ key: String) throws(CatalogError) -> String {
        guard let string = try value(key).stringValue, !string.isEmpty else {
            throw failure("\(prefix)\(key) must be a non-empty string")
        }
        return string
    }

    func number(_ key: String) throws(CatalogError) -> Double {
        guard let number = try value(key).doubleValue else { throw failure("\(prefix)\(key) must be a number") }
        return number
    }

    /// The boolean `key`, or nil when it is absent.
    func optionalBool(_ key: String) throws(CatalogError) -> Bool? {
        guard let value = object[key] else { return nil }
        guard let flag = value.boolValue else { throw failure("\(prefix)\(key) must be true or false") }
        return flag
    }

    func strings(_ key: String) throws(CatalogError) -> [String] {
        let mismatch = failure("\(prefix)\(key) must be an array of non-empty strings")
        guard let array = try value(key).arrayValue else { throw mismatch }
        var strings: [String] = []
        for item in array {
            guard let string = item.stringValue, !string.isEmpty else { throw mismatch }
            strings.append(string)
        }
        return strings
    }

    /// A reader for the object member `key`, which may hold only the members `allowedKeys`.
    func member(_ key: String, allowedKeys: Set<String>) throws(CatalogError) -> ModelFileReader {
        guard let object = try value(key).objectValue else { throw failure("\(prefix)\(key) must be an object") }
        let reader = ModelFileReader(file: file, object: object, prefix: prefix + key + ".")
        try reader.expectOnly(allowedKeys)
        return reader
    }

    private func expectOnly(_ allowedKeys: Set<String>) throws(CatalogError) {
        for key in object.keys where !allowedKeys.contains(key) {
            let expected = allowedKeys.sorted().joined(separator: ", ")
            throw failure("unknown member \"\(prefix)\(key)\" (expected \(expected))")
        }
    }
}
