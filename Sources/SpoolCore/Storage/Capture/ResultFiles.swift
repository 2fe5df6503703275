import SpoolJSON

/// Finds the file objects in a model's output, whatever the model: every object with an http(s) `url` and at
/// least one of `content_type`, `file_name` or `file_size` (fal's `File` shape), at any depth. Each gets a name
/// unique within the job, made of safe characters (`StorageKey`), from its `file_name` or else its URL.
enum ResultFiles {
    /// A file object found in the output.
    struct Found: Equatable {
        var name: String
        /// JSON pointer of the object (`/video`, `/images/0`).
        var pointer: String
        var url: String
        var contentType: String
        var declaredSize: Int64?
    }

    static func find(in output: JSONValue) -> [Found] {
        var found: [Found] = []
        var names: Set<String> = []
        walk(output, pointer: "", into: &found, names: &names)
        return found
    }

    private static func walk(_ value: JSONValue, pointer: String, into found: inout [Found], names: inout Set<String>) {
        switch value {
        case .object(let object):
            if let file = fileObject(object, pointer: pointer, names: &names) {
                found.append(file)
                return
            }
            for key in object.keys {
                walk(object[key]!, pointer: pointer + "/" + JSONPointerToken.escape(key), into: &found, names: &names)
            }
        case .array(let items):
            for (index, item) in items.enumerated() { walk(item, pointer: pointer + "/\(index)", into: &found, names: &names) }
        default:
            return
        }
    }

    private static func fileObject(_ object: JSONObject, pointer: String, names: inout Set<String>) -> Found? {
        guard let url = object["url"]?.stringValue, url.hasPrefix("https://") || url.hasPrefix("http://"),
              object["content_type"] != nil || object["file_name"] != nil || object["file_size"] != nil
        else { return nil }
        let wanted = object["file_name"]?.stringValue ?? lastSegment(of: url)
        let name = unique(sanitized(wanted), among: &names)
        let size = object["file_size"]?.integerValue.flatMap { $0 >= 0 ? $0 : nil }
        return Found(
            name: name, pointer: pointer, url: url,
            contentType: object["content_type"]?.stringValue ?? "application/octet-stream", declaredSize: size)
    }

    /// The URL's last path segment, without query or fragment.
    private static func lastSegment(of url: String) -> String {
        let path = url.split(separator: "?", maxSplits: 1)[0].split(separator: "#", maxSplits: 1)[0]
        return path.split(separator: "/").last.map(String.init) ?? ""
    }

    /// Only letters, digits, `.`, `_` and `-` (others become `_`), never starting with a dot, at most 100 bytes
    /// (the end, with the extension, is kept).
    static func sanitized(_ name: String) -> String {
        var bytes = name.utf8.map { StorageKey.isSafeByte($0) ? $0 : UInt8(ascii: "_") }
        while bytes.first == UInt8(ascii: ".") { bytes.removeFirst() }
        if bytes.count > 100 { bytes = Array(bytes.suffix(100)) }
        while bytes.first == UInt8(ascii: ".") { bytes.removeFirst() }
        return bytes.isEmpty ? "file" : String(decoding: bytes, as: UTF8.self)
    }

    /// `name`, or `stem-2.ext`, `stem-3.ext`… when taken.
    private static func unique(_ name: String, among names: inout Set<String>) -> String {
        var candidate = name
        var counter = 2
        while names.contains(candidate) {
            if let dot = name.lastIndex(of: ".") {
                candidate = "\(name[..<dot])-\(counter)\(name[dot...])"
            } else {
                candidate = "\(name)-\(counter)"
            }
            counter += 1
        }
        names.insert(candidate)
        return candidate
    }
}
