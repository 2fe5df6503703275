import SpoolJSON

/// Turns a JSON Schema document into the node table a `SchemaValidator` walks.
///
/// It is strict on purpose: a keyword it does not implement is an error rather than silently ignored, so that a
/// typo in a catalog file (`maxlength`) stops the gateway at start instead of letting bad input through.
/// Annotations (`title`, `description`, `default`, `examples`, …) and any `x-…` keyword are accepted and ignored,
/// except Spool's own `x-aliases`, `x-accepts-numeric-string` and `x-media-type`, which are checked and kept.
struct SchemaCompiler {
    private static let annotations: Set<String> = [
        "$schema", "$id", "$comment", "title", "description", "default", "examples", "deprecated",
        "readOnly", "writeOnly", "contentMediaType", "contentEncoding",
    ]
    private static let supportedFormats: Set<String> = ["uri"]

    private let document: JSONValue
    private var nodes: [SchemaNode] = []
    private var idsByPointer: [String: SchemaNodeID] = [:]
    private var pendingReferences: [(node: SchemaNodeID, target: String)] = []

    /// Compiles `document`; the root schema is node 0.
    static func compile(_ document: JSONValue) throws(SchemaError) -> [SchemaNode] {
        var compiler = SchemaCompiler(document: document)
        _ = try compiler.compile(document, at: "#")
        try compiler.resolveReferences()
        return compiler.nodes
    }

    private init(document: JSONValue) {
        self.document = document
    }

    private mutating func compile(_ json: JSONValue, at pointer: String) throws(SchemaError) -> SchemaNodeID {
        if let id = idsByPointer[pointer] { return id }
        let id = nodes.count
        nodes.append(SchemaNode(pointer: pointer))
        idsByPointer[pointer] = id
        nodes[id] = try compileNode(json, id: id, at: pointer)
        return id
    }

    private mutating func compileNode(_ json: JSONValue, id: SchemaNodeID, at pointer: String) throws(SchemaError) -> SchemaNode {
        var node = SchemaNode(pointer: pointer)
        switch json {
        case .bool(let accepts):
            node.acceptsNothing = !accepts
            return node
        case .object(let keywords):
            for (keyword, value) in keywords {
                try apply(keyword, value, to: &node, id: id)
            }
            try checkConsistency(of: node)
            return node
        default:
            throw SchemaError(pointer: pointer, message: "a schema must be an object or a boolean, not \(json.typeName)")
        }
    }

    // The switch is long because JSON Schema has many keywords; each case only parses its own value.
    private mutating func apply(_ keyword: String, _ value: JSONValue, to node: inout SchemaNode,
                                id: SchemaNodeID) throws(SchemaError) {
        let pointer = node.pointer
        let reader = KeywordReader(pointer: pointer, keyword: keyword, value: value)
        switch keyword {
        case "type": node.types = try reader.types()
        case "enum": node.allowedValues = try reader.nonEmptyArray()
        case "const": node.constant = value
        case "minimum": node.minimum = try reader.number()
        case "maximum": node.maximum = try reader.number()
        case "exclusiveMinimum": node.exclusiveMinimum = try reader.number()
        case "exclusiveMaximum": node.exclusiveMaximum = try reader.number()
        case "multipleOf": node.multipleOf = try reader.positiveNumber()
        case "minLength": node.minLength = try reader.count()
        case "maxLength": node.maxLength = try reader.count()
        case "minItems": node.minItems = try reader.count()
        case "maxItems": node.maxItems = try reader.count()
        case "uniqueItems": node.uniqueItems = try reader.bool()
        case "pattern": node.pattern = try reader.pattern()
        case "format":
            let format = try reader.string()
            guard SchemaCompiler.supportedFormats.contains(format) else {
                throw reader.error("format \"\(format)\" is not supported")
            }
            node.format = format
        case "x-media-type": node.mediaType = try reader.mediaType()
        case "x-accepts-numeric-string": node.acceptsNumericString = try reader.bool()
        case "x-aliases": node.aliases = try reader.stringMap().map { (alias: $0.key, name: $0.value) }
        case "title": node.title = try reader.string()
        case "required": node.required = try reader.strings()
        case "items": node.items = try compile(value, at: pointer + "/items")
        case "additionalProperties": node.additionalProperties = try compile(value, at: pointer + "/additionalProperties")
        case "prefixItems": node.prefixItems = try compileList(value, reader: reader)
        case "allOf": node.allOf = try compileList(value, reader: reader)
        case "anyOf": node.anyOf = try compileList(value, reader: reader)
        case "oneOf": node.oneOf = try compileList(value, reader: reader)
        case "properties":
            for (name, schema) in try reader.object() {
                let child = try compile(schema, at: pointer + "/properties/" + JSONPointerToken.escape(name))
                node.properties.append(SchemaProperty(name: name, node: child))
            }
        case "$defs":
            for (name, schema) in try reader.object() {
                _ = try compile(schema, at: pointer + "/$defs/" + JSONPointerToken.escape(name))
            }
        case "$ref":
            let target = try reader.string()
            guard target.hasPrefix("#") else {
                throw reader.error("only references inside the document (\"#/…\") are supported")
            }
            pendingReferences.append((node: id, target: target))
        default:
            guard SchemaCompiler.annotations.contains(keyword) || keyword.hasPrefix("x-") else {
                throw reader.error("keyword \"\(keyword)\" is not supported")
            }
        }
    }

    private mutating func compileList(_ value: JSONValue, reader: KeywordReader) throws(SchemaError) -> [SchemaNodeID] {
        var ids: [SchemaNodeID] = []
        for (index, schema) in try reader.nonEmptyArray().enumerated() {
            ids.append(try compile(schema, at: "\(reader.pointer)/\(reader.keyword)/\(index)"))
        }
        return ids
    }

    /// Checks what no single keyword can check alone: Spool's extensions must fit the keywords beside them.
    private func checkConsistency(of node: SchemaNode) throws(SchemaError) {
        if node.mediaType != nil, node.format != "uri" {
            throw SchemaError(pointer: node.pointer, message: "x-media-type needs \"format\": \"uri\"")
        }
        if node.acceptsNumericString, !(node.types ?? []).contains(.integer) {
            throw SchemaError(pointer: node.pointer, message: "x-accepts-numeric-string needs \"type\": \"integer\"")
        }
        for (alias, name) in node.aliases {
            guard node.property(named: name) != nil else {
                throw SchemaError(pointer: node.pointer,
                                  message: "x-aliases maps \"\(alias)\" to \"\(name)\", which is not a declared property")
            }
            guard node.property(named: alias) == nil else {
                throw SchemaError(pointer: node.pointer, message: "x-aliases: \"\(alias)\" is itself a declared property")
            }
        }
    }

    /// Points every `$ref` at its compiled target, compiling targets outside the tree walked so far.
    private mutating func resolveReferences() throws(SchemaError) {
        var index = 0
        while index < pendingReferences.count {
            let (id, target) = pendingReferences[index]
            index += 1
            if let targetID = idsByPointer[target] {
                nodes[id].reference = targetID
                continue
            }
            guard let json = SchemaCompiler.resolve(target, in: document) else {
                throw SchemaError(pointer: nodes[id].pointer, message: "$ref \"\(target)\" points to nothing in the document")
            }
            nodes[id].reference = try compile(json, at: target)
        }
    }

    /// The value a JSON Pointer fragment (`#/$defs/shot`) designates in `document`, or nil.
    static func resolve(_ fragment: String, in document: JSONValue) -> JSONValue? {
        var current = document
        let tokens = fragment.dropFirst().split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        for token in tokens {
            let key = JSONPointerToken.unescape(token)
            switch current {
            case .object(let object):
                guard let next = object[key] else { return nil }
                current = next
            case .array(let array):
                guard let position = Int(key), array.indices.contains(position) else { return nil }
                current = array[position]
            default:
                return nil
            }
        }
        return current
    }
}
