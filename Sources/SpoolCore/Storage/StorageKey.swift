/// The keys under which files are stored: `job_…/name`, made only of letters, digits, `.`, `_` and `-`, one
/// slash between non-empty segments, no segment starting with a dot. Such a key names a path inside the storage
/// folder and nothing else (no `..`, no absolute path, no hidden staging folder), whatever a result's file name
/// was.
enum StorageKey {
    /// The key of file `name` of job `jobID`, or nil when either part is not a valid segment.
    static func make(jobID: String, name: String) -> String? {
        let key = jobID + "/" + name
        return isValid(key) ? key : nil
    }

    static func isValid(_ key: String) -> Bool {
        let segments = key.split(separator: "/", omittingEmptySubsequences: false)
        return !segments.isEmpty && segments.allSatisfy(isValidSegment)
    }

    static func isValidSegment(_ segment: Substring) -> Bool {
        guard let first = segment.utf8.first, first != UInt8(ascii: "."), segment.utf8.count <= 200 else { return false }
        return segment.utf8.allSatisfy(isSafeByte)
    }

    static func isSafeByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }
}
