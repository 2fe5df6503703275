/// RFC 6901's escaping of one JSON Pointer reference token: `~` is written `~0` and `/` is written `~1`.
///
/// Both run on Unicode scalars with the standard library alone: every model's schema is compiled at start, and
/// Foundation's `replacingOccurrences` would bring CoreFoundation's string search into the start for each name.
enum JSONPointerToken {
    /// `key` as a reference token: `a/b~c` becomes `a~1b~0c`.
    static func escape(_ key: some StringProtocol) -> String {
        var escaped = String.UnicodeScalarView()
        for scalar in key.unicodeScalars {
            switch scalar {
            case "~": escaped.append(contentsOf: "~0".unicodeScalars)
            case "/": escaped.append(contentsOf: "~1".unicodeScalars)
            default: escaped.append(scalar)
            }
        }
        return String(escaped)
    }

    /// The key a reference token names: `~1` becomes `/` and `~0` becomes `~`, so `~01` is `~1`.
    static func unescape(_ token: some StringProtocol) -> String {
        let scalars = Array(token.unicodeScalars)
        var key = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if scalars[index] == "~", index + 1 < scalars.count, scalars[index + 1] == "0" || scalars[index + 1] == "1" {
                key.append(scalars[index + 1] == "0" ? "~" : "/")
                index += 2
            } else {
                key.append(scalars[index])
                index += 1
            }
        }
        return String(key)
    }
}
