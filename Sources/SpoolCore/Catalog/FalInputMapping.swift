import SpoolJSON

/// How an accepted input becomes the body sent to fal, as a catalog file's `fal_input_mapping` says:
///
/// ```json
/// {"rename": {"input_image": "image_urls", "tail_image_url": "end_image_url"},
///  "as_string": ["duration", "multi_prompt[].duration"]}
/// ```
/// `as_string` lists the paths (members joined by `.`, `[]` for every item of an array) whose integers fal wants
/// written as strings (`5` → `"5"`); it applies first, with Spool's names. `rename` then renames top-level members,
/// keeping their positions. Everything else passes through unchanged, defaults included or not.
struct FalInputMapping: Sendable {
    enum Step: Sendable, Equatable {
        case member(String)
        case eachItem
    }

    let renames: [String: String]
    let stringPaths: [[Step]]

    /// The mapping that changes nothing, for a model whose file has no `fal_input_mapping`.
    init() {
        renames = [:]
        stringPaths = []
    }

    init(json: JSONValue, file: String) throws(CatalogError) {
        func failure(_ message: String) -> CatalogError { CatalogError(file: file, message: "fal_input_mapping: " + message) }
        guard let object = json.objectValue else { throw failure("must be an object") }
        var renames: [String: String] = [:]
        var stringPaths: [[Step]] = []
        for (key, value) in object {
            switch key {
            case "rename":
                guard let pairs = value.objectValue else { throw failure("rename must be an object of names") }
                for (from, to) in pairs {
                    guard let to = to.stringValue, !to.isEmpty else { throw failure("rename.\(from) must be a name") }
                    renames[from] = to
                }
            case "as_string":
                guard let paths = value.arrayValue else { throw failure("as_string must be an array of paths") }
                for path in paths {
                    guard let text = path.stringValue, let steps = FalInputMapping.parse(text) else {
                        let entry = path.serializedString()
                        throw failure("as_string entry \(entry) is not a path such as \"multi_prompt[].duration\"")
                    }
                    stringPaths.append(steps)
                }
            default:
                throw failure("unknown key \"\(key)\" (expected rename, as_string)")
            }
        }
        self.renames = renames
        self.stringPaths = stringPaths
    }

    /// `"multi_prompt[].duration"` → member, each item, member; nil when a member name is empty.
    private static func parse(_ path: String) -> [Step]? {
        var steps: [Step] = []
        for segment in path.split(separator: ".", omittingEmptySubsequences: false) {
            var name = Substring(segment)
            var eachItemCount = 0
            while name.hasSuffix("[]") {
                name = name.dropLast(2)
                eachItemCount += 1
            }
            guard !name.isEmpty, !name.contains("["), !name.contains("]") else { return nil }
            steps.append(.member(String(name)))
            steps.append(contentsOf: Array(repeating: Step.eachItem, count: eachItemCount))
        }
        return steps
    }

    func apply(to input: JSONValue) -> JSONValue {
        var value = input
        for path in stringPaths {
            value = FalInputMapping.stringify(value, along: path[...])
        }
        guard case .object(let object) = value, !renames.isEmpty else { return value }
        return .object(JSONObject(object.map { (renames[$0.key] ?? $0.key, $0.value) }))
    }

    private static func stringify(_ value: JSONValue, along path: ArraySlice<Step>) -> JSONValue {
        guard let step = path.first else {
            return value.integerValue.map { .string(String($0)) } ?? value
        }
        switch (step, value) {
        case (.member(let name), .object(var object)):
            guard let member = object[name] else { return value }
            object[name] = stringify(member, along: path.dropFirst())
            return .object(object)
        case (.eachItem, .array(let items)):
            return .array(items.map { stringify($0, along: path.dropFirst()) })
        default:
            return value
        }
    }
}
