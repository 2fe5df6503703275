import SpoolHTTP

/// `GET /files/{id}/output.mp4`: the sample video of a request that completed successfully, with byte ranges
/// (`Range: bytes=…` → 206 and `Content-Range`) so that players can seek.
extension SimContext {
    func video(_ request: HTTPRequest) -> HTTPResponse {
        guard let id = request.pathParameters["id"], let snapshot = queue.snapshot(id),
              case .completed(_, _, .succeeded) = snapshot.request.phase
        else { return SimContext.answer(["detail": "File not found"], .notFound) }
        let bytes = SampleVideo.bytes
        var headers: HTTPHeaders = ["Content-Type": SampleVideo.contentType, "Accept-Ranges": "bytes"]
        guard let rangeHeader = request.headers["Range"] else {
            return HTTPResponse(status: .ok, headers: headers, body: .bytes(bytes))
        }
        guard let range = ByteRange.parse(rangeHeader, length: bytes.count) else {
            headers.set("Content-Range", "bytes */\(bytes.count)")
            return HTTPResponse(status: HTTPStatus(code: 416), headers: headers)
        }
        headers.set("Content-Range", "bytes \(range.lowerBound)-\(range.upperBound)/\(bytes.count)")
        return HTTPResponse(status: HTTPStatus(code: 206), headers: headers, body: .bytes(Array(bytes[range])))
    }
}

/// A single `bytes=` range of RFC 9110 §14.1.2.
enum ByteRange {
    /// The inclusive byte range asked for by `header` within a body of `length` bytes: `bytes=10-20`,
    /// `bytes=10-` or `bytes=-5`. Nil when the header is malformed, asks for several ranges, or starts past
    /// the end (416).
    static func parse(_ header: String, length: Int) -> ClosedRange<Int>? {
        guard header.hasPrefix("bytes="), length > 0 else { return nil }
        let spec = header.dropFirst("bytes=".count).filter { $0 != " " }
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return nil }
        let first = spec[..<dash], last = spec[spec.index(after: dash)...]
        if first.isEmpty {
            guard let suffix = Int(last), suffix > 0 else { return nil }
            return max(0, length - suffix)...(length - 1)
        }
        guard let start = Int(first), start < length else { return nil }
        if last.isEmpty { return start...(length - 1) }
        guard let end = Int(last), end >= start else { return nil }
        return start...min(end, length - 1)
    }
}
