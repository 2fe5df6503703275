import SpoolJSON

/// Where a value sits inside a request body, written the way a client would write it in code:
/// `input.elements[0].reference_image_urls[1]`.
///
/// A key that is not a plain identifier is written in brackets as a JSON string (`input["odd key"]`),
/// so that every path can be read back unambiguously.
///
/// A path can also be left unwritten (``unwritten(_:)``): appending to it costs nothing and it always reads as its
/// root. Validation runs first with one, because nearly every input it sees is valid and the paths are then never
/// read; only an input with problems is checked again with written paths.
package struct FieldPath: Sendable, Hashable, CustomStringConvertible {
    package private(set) var description: String
    private var isWritten = true

    /// A path that starts at the named top-level value, usually `input`.
    package init(_ root: String) {
        description = root
    }

    /// A path that stays `root` whatever is appended, for a pass whose problems are counted, not reported.
    package static func unwritten(_ root: String) -> FieldPath {
        var path = FieldPath(root)
        path.isWritten = false
        return path
    }

    /// The path of the member `key` of the object at this path.
    package func appending(key: String) -> FieldPath {
        guard isWritten else { return self }
        var path = self
        if FieldPath.isPlainIdentifier(key) {
            path.description += "." + key
        } else {
            var bytes: [UInt8] = []
            JSONValue.writeString(key, to: &bytes)
            path.description += "[" + String(decoding: bytes, as: UTF8.self) + "]"
        }
        return path
    }

    /// The path of item `index` (0-based) of the array at this path.
    package func appending(index: Int) -> FieldPath {
        guard isWritten else { return self }
        var path = self
        path.description += "[\(index)]"
        return path
    }

    private static func isPlainIdentifier(_ key: String) -> Bool {
        guard let first = key.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
        return key.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
                return true
            default:
                return false
            }
        }
    }
}
