import SpoolHTTP

/// `GET /files/{id}/output.mp4`: the output file of a request that completed successfully, its video in the
/// request's aspect ratio, lasting the seconds it asked for with `videoFollowsDuration` (`OutputFile`), with byte ranges
/// (`Range: bytes=…` → 206 and `Content-Range`) so that players can seek and downloads can resume. A file larger
/// than the sample video is streamed in pieces. `fileExpirySeconds` after the run ended the file answers 404;
/// with `fileCutAfterBytes`, an answer that starts at byte 0 breaks its connection after that many bytes. A request
/// an earlier emulator ran is served from the `outputFolder` archive, when there is one. Once its payloads were
/// deleted (`DELETE /v1/models/requests/{id}/payloads`) it answers 404.
extension SimContext {
    /// How many bytes a streamed answer writes at a time.
    static let fileChunkBytes = 64 * 1024

    func video(_ request: HTTPRequest) -> HTTPResponse {
        guard let id = request.pathParameters["id"], let file = outputFile(id) else {
            return SimContext.answer(["detail": "File not found"], .notFound)
        }
        var headers: HTTPHeaders = ["Content-Type": SampleVideo.contentType, "Accept-Ranges": "bytes"]
        var status = HTTPStatus.ok
        var range = 0..<file.size
        if let rangeHeader = request.headers["Range"] {
            guard let asked = ByteRange.parse(rangeHeader, length: file.size) else {
                headers.set("Content-Range", "bytes */\(file.size)")
                return HTTPResponse(status: HTTPStatus(code: 416), headers: headers)
            }
            headers.set("Content-Range", "bytes \(asked.lowerBound)-\(asked.upperBound)/\(file.size)")
            status = HTTPStatus(code: 206)
            range = asked.lowerBound..<(asked.upperBound + 1)
        }
        let cut = range.lowerBound == 0 ? configuration.fileCutAfterBytes.flatMap { $0 < range.count ? $0 : nil } : nil
        if file.isVideoOnly, cut == nil {
            return HTTPResponse(status: status, headers: headers, body: .bytes(file.bytes(in: range)))
        }
        let start = range.lowerBound
        let end = cut.map { start + $0 } ?? range.upperBound
        return HTTPResponse(status: status, headers: headers, body: .stream { [logger] writer in
            var offset = start
            while offset < end {
                let next = min(end, offset + SimContext.fileChunkBytes)
                try await writer.write(file.bytes(in: offset..<next))
                offset = next
            }
            guard cut == nil else {
                logger.info("injected cut download", metadata: ["request_id": .string(id), "bytes": .stringConvertible(end)])
                throw InjectedDrop()
            }
        })
    }

    /// The output file of request `id` while it can be downloaded: from the queue when this emulator ran it,
    /// else from the archive an earlier emulator kept it in.
    private func outputFile(_ id: String) -> OutputFile? {
        guard !deletedPayloads.contains(id) else { return nil }
        guard let snapshot = queue.snapshot(id) else {
            guard let kept = archive?.video(of: id),
                  configuration.fileExpirySeconds.map({ kept.ageSeconds < $0 }) ?? true
            else { return nil }
            return OutputFile(video: kept.bytes, size: configuration.outputFileBytes)
        }
        guard case .completed(_, let endedAt, .succeeded) = snapshot.request.phase,
              configuration.fileExpirySeconds.map({ snapshot.takenAt - endedAt < $0 }) ?? true
        else { return nil }
        return OutputFile(
            for: snapshot.request, size: configuration.outputFileBytes,
            followsDuration: configuration.videoFollowsDuration)
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
