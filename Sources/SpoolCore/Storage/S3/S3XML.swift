import Foundation

/// The little of S3's XML that Spool reads: the text of a named element (`Code`, `Message`, `UploadId`).
///
/// S3's answers are small, flat documents with no attributes on these elements and no CDATA, so finding the
/// first `<Name>…</Name>` and decoding the five predefined entities is all the parsing they need.
enum S3XML {
    /// The decoded text of the first `<name>` element of `document`, or nil.
    static func text(of name: String, in document: [UInt8]) -> String? {
        let text = String(decoding: document, as: UTF8.self)
        guard let open = text.range(of: "<\(name)>"),
            let close = text.range(of: "</\(name)>", range: open.upperBound..<text.endIndex)
        else { return nil }
        return unescape(String(text[open.upperBound..<close.lowerBound]))
    }

    /// Whether the document's root element is `<Error>`.
    static func isError(_ document: [UInt8]) -> Bool {
        var text = Substring(String(decoding: document.prefix(512), as: UTF8.self))
        if text.hasPrefix("<?xml"), let end = text.range(of: "?>") { text = text[end.upperBound...] }
        return text.drop(while: { $0.isWhitespace }).hasPrefix("<Error>")
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    private static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&#34;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
    }
}
