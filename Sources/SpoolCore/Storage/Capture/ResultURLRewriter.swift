import SpoolJSON

/// `storage.rewrite_result_urls`: the job's result with the `url` of each stored file object pointing at Spool's
/// copy (`/v1/jobs/{id}/files/{name}`) instead of fal's. Files that were not stored keep fal's URL.
enum ResultURLRewriter {
    static func pointingAtSpool(_ result: JSONValue, files: [JobFile]) -> JSONValue {
        var rewritten = result
        for file in files where file.state == .stored {
            rewritten = replacingURL(in: rewritten, at: pointerSegments(file.resultPath)[...], with: file.path)
        }
        return rewritten
    }

    private static func replacingURL(in value: JSONValue, at path: ArraySlice<String>, with url: String) -> JSONValue {
        guard let head = path.first else {
            guard var object = value.objectValue else { return value }
            object["url"] = .string(url)
            return .object(object)
        }
        switch value {
        case .object(var object):
            guard let child = object[head] else { return value }
            object[head] = replacingURL(in: child, at: path.dropFirst(), with: url)
            return .object(object)
        case .array(var items):
            guard let index = Int(head), items.indices.contains(index) else { return value }
            items[index] = replacingURL(in: items[index], at: path.dropFirst(), with: url)
            return .array(items)
        default:
            return value
        }
    }

    /// `/video/0` → ["video", "0"], unescaping `~1` and `~0` (RFC 6901).
    static func pointerSegments(_ pointer: String) -> [String] {
        pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map { segment in
            var text = ""
            var escaped = false
            for character in segment {
                if escaped {
                    text.append(character == "1" ? "/" : "~")
                    escaped = false
                } else if character == "~" {
                    escaped = true
                } else {
                    text.append(character)
                }
            }
            return text
        }
    }
}
