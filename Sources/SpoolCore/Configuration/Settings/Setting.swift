import SpoolJSON

/// One setting, declared once in `SpoolSettings`: its key in the configuration file, its environment variable, its
/// kind, where it lands in the configuration and what it means. The file reader, the environment reader, the
/// command-line flags' help and the README's table are all made from these declarations.
///
/// `Root` is the value the setting lands in: `SpoolConfiguration`, or `TeamLimits` for the per-team settings, which
/// the file reads inside each `teams.NAME` block and the environment writes into the defaults of every team.
package struct Setting<Root>: Sendable {
    /// The dotted path in the configuration file (`fal.poll_max_interval_seconds`); nil for a setting read from the
    /// environment only.
    package let key: String?
    /// The environment variables that set it, named by the contract; usually none or one.
    package let environment: [String]
    /// The command-line flag that overrides it, if any (`--db`).
    package let flag: String?
    /// The kind of value, in a few words: "number ≥ 0".
    package let kindName: String
    /// What the setting does, in one line (Markdown).
    package let meaning: String
    /// What an unset value means, shown as the default when there is no value (`1, or 60 with callbacks`).
    package let whenUnset: String?
    /// A key, password or anything that grants access: its value never appears in a message or a log line.
    package let isSecret: Bool

    private let readJSON: @Sendable (JSONValue, inout Root) -> Bool
    private let readText: @Sendable (String, inout Root) -> Bool
    /// Reads several variables at once; nil for a setting of one variable, read with `readText`.
    private let readVariables: (@Sendable (_ value: (String) -> String?, inout Root) -> Void)?
    private let current: @Sendable (Root) -> String?
    private let currentJSON: @Sendable (Root) -> JSONValue
    private let expected: String

    /// A setting of `kind` that lands at `path`.
    init<Value>(
        _ key: String?, environment: String? = nil, flag: String? = nil, _ kind: SettingKind<Value>,
        at path: WritableKeyPath<Root, Value> & Sendable, whenUnset: String? = nil, secret: Bool = false,
        _ meaning: String
    ) {
        self.init(
            key: key, environment: environment.map { [$0] } ?? [], flag: flag, kindName: kind.name, meaning: meaning,
            whenUnset: whenUnset, isSecret: secret, expected: kind.expected,
            readJSON: { json, root in
                guard let value = kind.fromJSON(json) else { return false }
                root[keyPath: path] = value
                return true
            },
            readText: { text, root in
                guard let value = kind.fromText(text) else { return false }
                root[keyPath: path] = value
                return true
            },
            readVariables: nil, current: { kind.show($0[keyPath: path]) },
            currentJSON: { kind.toJSON($0[keyPath: path]) })
    }

    /// A setting read from several environment variables at once (the S3 key pair), never from the file.
    init(
        environment names: [String], kindName: String, whenUnset: String?, secret: Bool, _ meaning: String,
        read: @escaping @Sendable (_ value: (String) -> String?, inout Root) -> Void,
        current: @escaping @Sendable (Root) -> String?
    ) {
        self.init(
            key: nil, environment: names, flag: nil, kindName: kindName, meaning: meaning, whenUnset: whenUnset,
            isSecret: secret, expected: kindName, readJSON: { _, _ in false }, readText: { _, _ in false },
            readVariables: read, current: current, currentJSON: { _ in .null })
    }

    private init(
        key: String?, environment: [String], flag: String?, kindName: String, meaning: String, whenUnset: String?,
        isSecret: Bool, expected: String, readJSON: @escaping @Sendable (JSONValue, inout Root) -> Bool,
        readText: @escaping @Sendable (String, inout Root) -> Bool,
        readVariables: (@Sendable (_ value: (String) -> String?, inout Root) -> Void)?,
        current: @escaping @Sendable (Root) -> String?, currentJSON: @escaping @Sendable (Root) -> JSONValue
    ) {
        self.key = key
        self.environment = environment
        self.flag = flag
        self.kindName = kindName
        self.meaning = meaning
        self.whenUnset = whenUnset
        self.isSecret = isSecret
        self.expected = expected
        self.readJSON = readJSON
        self.readText = readText
        self.readVariables = readVariables
        self.current = current
        self.currentJSON = currentJSON
    }

    /// Sets the value from the file's `json`; `source` and `key` say where it was, for the error.
    func read(_ json: JSONValue, into root: inout Root, source: String, key: String) throws(ConfigurationError) {
        guard readJSON(json, &root) else { throw refusal("\(source): \(key)", shown: json.serializedString()) }
    }

    /// Sets the value from its environment variables, when they are set and not blank.
    func read(environment variables: [String: String], into root: inout Root) throws(ConfigurationError) {
        let value = { (name: String) -> String? in
            guard let text = variables[name]?.trimmingCharacters(in: " \t"), !text.isEmpty else { return nil }
            return text
        }
        if let readVariables { return readVariables(value, &root) }
        guard let name = environment.first, let text = value(name) else { return }
        try read(text: text, into: &root, name: name)
    }

    /// Sets the value from `text`, given as `name` (an environment variable or a command-line flag).
    func read(text: String, into root: inout Root, name: String) throws(ConfigurationError) {
        guard readText(text, &root) else { throw refusal(name, shown: text) }
    }

    /// The value in `root` as the README shows it, or nil when it is unset.
    package func shownValue(in root: Root) -> String? { current(root) }

    /// The value in `root` as the configuration file writes it.
    func jsonValue(in root: Root) -> JSONValue { currentJSON(root) }

    /// The same setting, landing inside `Outer` at `path`, its key prefixed with `keyPrefix`.
    func rooted<Outer>(at path: WritableKeyPath<Outer, Root> & Sendable, keyPrefix: String) -> Setting<Outer> {
        let (readJSON, readText, readVariables) = (readJSON, readText, readVariables)
        let (current, currentJSON) = (current, currentJSON)
        return Setting<Outer>(
            key: key.map { keyPrefix + $0 }, environment: environment, flag: flag, kindName: kindName,
            meaning: meaning, whenUnset: whenUnset, isSecret: isSecret, expected: expected,
            readJSON: { json, outer in readJSON(json, &outer[keyPath: path]) },
            readText: { text, outer in readText(text, &outer[keyPath: path]) },
            readVariables: readVariables.map { read in { @Sendable value, outer in read(value, &outer[keyPath: path]) } },
            current: { current($0[keyPath: path]) }, currentJSON: { currentJSON($0[keyPath: path]) })
    }

    private func refusal(_ name: String, shown value: String) -> ConfigurationError {
        ConfigurationError("\(name) must be \(expected), not \(isSecret ? "the value given" : value)")
    }
}
