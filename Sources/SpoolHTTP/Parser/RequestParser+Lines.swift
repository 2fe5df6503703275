/// The request line, field lines and chunk-size lines: each checked strictly, because a lenient parser in front
/// of or behind another is how requests get smuggled.
extension RequestParser {
    /// The parts of a request line.
    struct StartLine {
        var method: HTTPMethod
        var target: String
        var absoluteForm: (path: String, query: String?)?
        var version: (major: Int, minor: Int)
    }

    /// Parses `method SP request-target SP HTTP-version`. Empty lines before it are skipped (RFC 9112 §2.2).
    mutating func parseRequestLine(_ line: UnsafeBufferPointer<UInt8>) -> RequestParseError? {
        if line.isEmpty { return nil }
        let malformed = RequestParseError(.badRequest, "The request line is not `METHOD target HTTP/1.1`.")
        guard let firstSpace = line.firstIndex(of: ByteClass.space), firstSpace > 0,
            let secondSpace = line[(firstSpace + 1)...].firstIndex(of: ByteClass.space), secondSpace > firstSpace + 1
        else { return malformed }
        let method = line.slice(0, firstSpace)
        let target = line.slice(firstSpace + 1, secondSpace)
        let version = line.slice(secondSpace + 1, line.count)
        guard method.allSatisfy(ByteClass.isTokenCharacter) else { return malformed }
        guard target.allSatisfy(ByteClass.isTargetCharacter) else {
            return RequestParseError(.badRequest, "The request target holds characters that are not allowed.")
        }
        let methodValue = HTTPMethod(method.asString)
        let targetText = target.asString
        named = (methodValue, targetText)
        let parsedVersion: (major: Int, minor: Int)
        switch RequestParser.parseVersion(version) {
        case .supported(let found): parsedVersion = found
        case .unsupported:
            return RequestParseError(.versionNotSupported, "Only HTTP/1.1 and HTTP/1.0 are supported.")
        case .malformed:
            return malformed
        }
        var absoluteForm: (path: String, query: String?)?
        if target[0] == UInt8(ascii: "/") {
            absoluteForm = nil
        } else if target.count == 1, target[0] == UInt8(ascii: "*") {
            guard methodValue == .options else {
                return RequestParseError(.badRequest, "The target `*` is only meaningful for OPTIONS.")
            }
        } else if let parts = RequestParser.absoluteFormParts(targetText) {
            absoluteForm = parts
        } else {
            return RequestParseError(.badRequest, "The request target must be a path such as /v1/jobs.")
        }
        startLine = StartLine(method: methodValue, target: targetText, absoluteForm: absoluteForm, version: parsedVersion)
        phase = .headerLines
        return nil
    }

    private enum VersionCheck {
        case supported((major: Int, minor: Int))
        case unsupported
        case malformed
    }

    /// `HTTP/1.1` and `HTTP/1.0` are supported; any other well-formed `HTTP/x.y` (or `HTTP/x`) is a version we do not speak.
    private static func parseVersion(_ text: UnsafeBufferPointer<UInt8>) -> VersionCheck {
        let prefix = Array("HTTP/".utf8)
        guard text.count > prefix.count, text.starts(with: prefix) else { return .malformed }
        let rest = text.slice(prefix.count, text.count)
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        if rest.count == 3, isDigit(rest[0]), rest[1] == UInt8(ascii: "."), isDigit(rest[2]) {
            if rest[0] == UInt8(ascii: "1"), rest[2] == UInt8(ascii: "1") { return .supported((1, 1)) }
            if rest[0] == UInt8(ascii: "1"), rest[2] == UInt8(ascii: "0") { return .supported((1, 0)) }
            return .unsupported
        }
        if rest.count == 1, isDigit(rest[0]) { return .unsupported }
        return .malformed
    }

    /// The path and query of an absolute-form target (`http://host:port/path?query`), or nil if it is not one.
    static func absoluteFormParts(_ target: String) -> (path: String, query: String?)? {
        let lowered = target.prefix(8).lowercased()
        let schemeLength: Int
        if lowered.hasPrefix("http://") {
            schemeLength = 7
        } else if lowered.hasPrefix("https://") {
            schemeLength = 8
        } else {
            return nil
        }
        let afterScheme = target.dropFirst(schemeLength)
        guard let authorityEnd = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }) else {
            return afterScheme.isEmpty ? nil : ("/", nil)
        }
        guard authorityEnd > afterScheme.startIndex else { return nil }
        let rest = afterScheme[authorityEnd...]
        guard let mark = rest.firstIndex(of: "?") else { return (String(rest), nil) }
        let path = rest[..<mark].isEmpty ? "/" : String(rest[..<mark])
        return (path, String(rest[rest.index(after: mark)...]))
    }

    /// Parses one `name: value` line of the header section (`keep`) or of the trailers (checked, then dropped).
    mutating func parseField(_ line: UnsafeBufferPointer<UInt8>, keep: Bool) -> RequestParseError? {
        if ByteClass.isWhitespace(line[0]) {
            return RequestParseError(.badRequest, "Header lines folded onto several lines (obs-fold) are not accepted.")
        }
        sectionCount += 1
        if sectionCount > limits.maxHeaderCount {
            return RequestParseError(.headerFieldsTooLarge, "The request has more than \(limits.maxHeaderCount) header fields.")
        }
        if sectionBytes > limits.maxHeaderBytes {
            return RequestParseError(.headerFieldsTooLarge, "The header section is larger than \(limits.maxHeaderBytes) bytes.")
        }
        guard let colon = line.firstIndex(of: ByteClass.colon), colon > 0 else {
            return RequestParseError(.badRequest, "A header line is not `Name: value`.")
        }
        let name = line.slice(0, colon)
        if ByteClass.isWhitespace(name[name.count - 1]) {
            return RequestParseError(.badRequest, "A header field name is followed by whitespace before its colon.")
        }
        guard name.allSatisfy(ByteClass.isTokenCharacter) else {
            return RequestParseError(.badRequest, "A header field name holds characters that are not allowed.")
        }
        let value = line.slice(colon + 1, line.count).trimmingWhitespace()
        guard value.allSatisfy(ByteClass.isFieldValueCharacter) else {
            return RequestParseError(.badRequest, "A header field value holds control characters.")
        }
        if keep { headers.add(name.asString, value.asString) }
        return nil
    }

    /// Parses `chunk-size [ BWS ; extensions ]`. A size of zero starts the trailers.
    mutating func parseChunkSize(_ line: UnsafeBufferPointer<UInt8>) -> RequestParseError? {
        let invalid = RequestParseError(.badRequest, "A chunk size is not a hexadecimal number.")
        var size: UInt64 = 0
        var index = 0
        while index < line.count, let digit = ByteClass.hexValue(line[index]) {
            let shifted = size.multipliedReportingOverflow(by: 16)
            guard !shifted.overflow else { return RequestParseError(.badRequest, "A chunk size overflows.") }
            size = shifted.partialValue | UInt64(digit)
            index += 1
        }
        guard index > 0 else { return invalid }
        while index < line.count, ByteClass.isWhitespace(line[index]) { index += 1 }
        if index < line.count {
            guard line[index] == ByteClass.semicolon else { return invalid }
            guard line.slice(index, line.count).allSatisfy(ByteClass.isFieldValueCharacter) else {
                return RequestParseError(.badRequest, "A chunk extension holds control characters.")
            }
        }
        guard size <= UInt64(limits.maxBodyBytes - body.count) else {
            return MessageFramingRules(isHTTP10: false, maxBodyBytes: limits.maxBodyBytes).tooLarge
        }
        if size == 0 {
            sectionBytes = 0
            sectionCount = 0
            phase = .trailerLines
        } else {
            phase = .chunkData(remaining: Int(size))
        }
        return nil
    }
}
