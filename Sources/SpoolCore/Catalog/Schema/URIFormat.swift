/// The `format: "uri"` check, and Spool's stricter rule for media URIs.
///
/// A plain `uri` is an absolute URI (RFC 3986): a scheme, a colon, then only characters a URI may hold, anything
/// else percent-encoded; `http` and `https` URIs must name a host; a `data:` URI must have its comma and, when it
/// says `;base64`, valid padded base64 (RFC 4648, standard alphabet).
///
/// With `x-media-type` (say `image`) the value must also be something fal can fetch or read inline: an `http` or
/// `https` URL, or a `data:image/<subtype>[;params];base64,<data>` URI carrying that kind of media as base64.
enum URIFormat {
    /// Nil when `text` is acceptable, otherwise the message for the field ("must be …").
    static func problem(with text: String, mediaType: String?) -> String? {
        let expected = mediaType.map { "an http(s) URL or a data:\($0)/…;base64,… URI" } ?? "an absolute URI with a scheme"
        let bytes = Array(text.utf8)
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), isScheme(bytes[..<colon]) else {
            return "must be \(expected), such as \(example(for: mediaType))"
        }
        let scheme = String(decoding: bytes[..<colon], as: UTF8.self).lowercased()
        let rest = bytes[(colon + 1)...]
        if scheme == "data" { return dataProblem(rest, mediaType: mediaType) }
        if mediaType != nil, scheme != "http", scheme != "https" {
            return "must be \(expected), not a \(scheme): URI"
        }
        guard rest.allSatisfy(isURICharacter), hasValidPercentEscapes(rest) else {
            return "must be a valid URI: spaces and other special characters must be percent-encoded"
        }
        if scheme == "http" || scheme == "https", !hasHost(rest) {
            return "must be a complete \(scheme) URL with a host, such as \(example(for: mediaType))"
        }
        return nil
    }

    private static func example(for mediaType: String?) -> String {
        switch mediaType {
        case "image"?: return "https://example.com/picture.png"
        case "video"?: return "https://example.com/clip.mp4"
        default: return "https://example.com/file"
        }
    }

    /// Checks what follows `data:`: `[<media type>][;<parameter>]*[;base64],<data>` (RFC 2397).
    private static func dataProblem(_ rest: ArraySlice<UInt8>, mediaType: String?) -> String? {
        guard let comma = rest.firstIndex(of: UInt8(ascii: ",")) else {
            return "must be a data URI with a comma before its data (data:<type>;base64,<data>)"
        }
        let header = String(decoding: rest[..<comma], as: UTF8.self)
        let payload = rest[(comma + 1)...]
        let parts = header.split(separator: ";", omittingEmptySubsequences: false)
        let declaredType = parts[0].lowercased()
        let isBase64 = parts.count > 1 && parts[parts.count - 1].lowercased() == "base64"
        if let mediaType {
            let prefix = mediaType + "/"
            guard declaredType.hasPrefix(prefix), declaredType.count > prefix.count else {
                let actual = declaredType.isEmpty ? "text/plain" : declaredType
                return "must be a data URI of type \(mediaType)/… (data:\(mediaType)/<type>;base64,…), not \(actual)"
            }
            guard isBase64 else { return "must be a base64 data URI (data:\(declaredType);base64,…)" }
        }
        if isBase64 {
            return isStrictBase64(payload) ? nil : "must carry valid base64 data after \"base64,\""
        }
        guard payload.allSatisfy(isURICharacter), hasValidPercentEscapes(payload) else {
            return "must be a valid data URI: its data must be percent-encoded or base64"
        }
        return nil
    }

    /// `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`.
    private static func isScheme(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let first = bytes.first, isLetter(first) else { return false }
        return bytes.allSatisfy { isLetter($0) || isDigit($0) || "+-.".utf8.contains($0) }
    }

    /// Whether `//authority` starts the part after the scheme and names a host (userinfo and port aside).
    private static func hasHost(_ rest: ArraySlice<UInt8>) -> Bool {
        guard rest.starts(with: "//".utf8) else { return false }
        let afterSlashes = rest.dropFirst(2)
        let authority = afterSlashes.prefix { $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "#") }
        let hostAndPort = authority.split(separator: UInt8(ascii: "@"), omittingEmptySubsequences: false).last ?? []
        if hostAndPort.first == UInt8(ascii: "[") { return hostAndPort.count > 2 }
        let host = hostAndPort.prefix { $0 != UInt8(ascii: ":") }
        return !host.isEmpty
    }

    /// Unreserved and reserved characters of RFC 3986, plus `%` (whose escapes are checked separately).
    private static func isURICharacter(_ byte: UInt8) -> Bool {
        if isLetter(byte) || isDigit(byte) { return true }
        return "-._~:/?#[]@!$&'()*+,;=%".utf8.contains(byte)
    }

    private static func hasValidPercentEscapes(_ bytes: ArraySlice<UInt8>) -> Bool {
        var index = bytes.startIndex
        while let percent = bytes[index...].firstIndex(of: UInt8(ascii: "%")) {
            guard percent + 2 < bytes.endIndex, isHexDigit(bytes[percent + 1]), isHexDigit(bytes[percent + 2]) else {
                return false
            }
            index = percent + 3
        }
        return true
    }

    /// Padded base64 in the standard alphabet, no white space, at least one group of four.
    static func isStrictBase64(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard !bytes.isEmpty, bytes.count % 4 == 0 else { return false }
        let padding = bytes.reversed().prefix { $0 == UInt8(ascii: "=") }.count
        guard padding <= 2 else { return false }
        return bytes.dropLast(padding).allSatisfy { byte in
            isLetter(byte) || isDigit(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "/")
        }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }
}
