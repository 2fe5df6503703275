import SpoolJSON

/// A request Spool refused: its status, and the contract's error object (`code`, `message`, `details`).
///
/// Printed as the message with its code, then one line per field detail, so a refused submit says what to fix.
struct ClientFailure: Error, CustomStringConvertible {
    let status: Int
    let answer: JSONValue
    let raw: String

    var description: String {
        guard let error = answer["error"]?.objectValue else {
            return "the server answered \(status): \(raw.prefix(500))"
        }
        let code = error["code"]?.stringValue ?? "error"
        var lines = ["\(error["message"]?.stringValue ?? "no message") (\(code), HTTP \(status))"]
        for detail in error["details"]?.arrayValue ?? [] {
            let field = detail["field"]?.stringValue ?? "?"
            let message = detail["message"]?.stringValue ?? detail.serializedString()
            lines.append("  \(field): \(message)")
        }
        return lines.joined(separator: "\n")
    }
}
