import SpoolFal

/// Copies one file from fal's URL into a `StagingFile`, in windows of `windowBytes` asked for with `Range`.
///
/// Windows keep memory bounded whatever the file's size and the disk's speed (the HTTP client buffers what
/// the network delivers until it is consumed), and make resuming the same thing as going on: after a cut, a
/// transient answer or a restart the next window starts where the staging file ends. A server that ignores
/// `Range` (200) sends the whole file, which is taken from the start. Transient faults (connection errors,
/// 408, 429, 5xx) are retried with exponential backoff; `maxAttempts` of them in a row without a byte of
/// progress give up. 401/403/404/410 and other 4xx are final: the file is gone or not ours to read.
struct FileDownloader: Sendable {
    let client: HTTPClient
    /// The largest file taken; a larger one fails as soon as its size is known.
    let maxBytes: Int64
    var windowBytes: Int64 = 8 * 1024 * 1024
    var maxAttempts = 8
    var backoffBaseSeconds = 0.25
    var backoffMaxSeconds = 30.0

    /// Why a download ended without the file.
    enum Failure: Error, CustomStringConvertible {
        /// The source refused or lost the file, or transient faults went on too long.
        case source(String)
        /// The file is larger than `maxBytes`.
        case tooLarge(limit: Int64, size: Int64?)
        /// The copy did not match what fal announced.
        case mismatch(String)

        var description: String {
            switch self {
            case .source(let message): return message
            case .tooLarge(let limit, let size):
                let actual = size.map { "\($0) bytes" } ?? "more"
                return "file too large: \(actual), storage.max_file_bytes is \(limit)"
            case .mismatch(let message): return message
            }
        }
    }

    /// What came back from one request.
    private enum Step {
        case progressed
        case complete(total: Int64)
        case transient(String)
    }

    /// Downloads `url` into `file`, continuing after the bytes it already holds. Returns the file's size.
    /// Throws `Failure`, `StorageError` (writing failed: not retried), or `CancellationError`.
    func download(_ url: String, into file: StagingFile, declaredSize: Int64?, contentType: String) async throws -> Int64 {
        if let declaredSize, declaredSize > maxBytes { throw Failure.tooLarge(limit: maxBytes, size: declaredSize) }
        var failures = 0
        var lastProblem = ""
        while true {
            try Task.checkCancellation()
            let before = file.size
            let step: Step
            do {
                step = try await fetchWindow(url, into: file, contentType: contentType)
            } catch let error as HTTPClientError {
                step = .transient(error.description)
            }
            switch step {
            case .complete(let total):
                if let declaredSize, declaredSize != total {
                    throw Failure.mismatch("fal announced file_size \(declaredSize), the file has \(total) bytes")
                }
                return total
            case .progressed:
                failures = 0
            case .transient(let problem):
                lastProblem = problem
                if file.size > before { failures = 0 }
                failures += 1
                guard failures < maxAttempts else {
                    throw Failure.source("download failed \(failures) times in a row; last: \(lastProblem)")
                }
                let delay = min(backoffMaxSeconds, backoffBaseSeconds * Double(1 << min(failures, 10)))
                try await Task.sleep(for: .seconds(delay * Double.random(in: 0.8...1.2)))
            }
        }
    }

    private func fetchWindow(_ url: String, into file: StagingFile, contentType: String) async throws -> Step {
        let start = file.size
        let request = HTTPClientRequest(
            url: url, headers: [("Range", "bytes=\(start)-\(start + windowBytes - 1)")], timeout: .seconds(600),
            idleTimeout: .seconds(30), maxResponseBytes: Int(max(windowBytes, maxBytes)) + 1)
        let response = try await client.stream(request)
        switch response.status {
        case 206:
            guard let range = ContentRange(response.headers["Content-Range"]), range.first == start, let total = range.total
            else { return .transient("fal answered 206 without the range asked for") }
            guard total <= maxBytes else { throw Failure.tooLarge(limit: maxBytes, size: total) }
            try checkType(response.headers["Content-Type"], declared: contentType)
            if let problem = try await consume(response.body, into: file, limit: total) { return .transient(problem) }
            return file.size >= total ? .complete(total: total) : .progressed
        case 200:
            try checkType(response.headers["Content-Type"], declared: contentType)
            if file.size > 0 { try file.truncate() }
            let length = response.headers["Content-Length"].flatMap { Int64($0) }
            if let length, length > maxBytes { throw Failure.tooLarge(limit: maxBytes, size: length) }
            if let problem = try await consume(response.body, into: file, limit: maxBytes) { return .transient(problem) }
            if let length, file.size != length { return .transient("the answer ended after \(file.size) of \(length) bytes") }
            return .complete(total: file.size)
        case 416:
            let total = ContentRange(response.headers["Content-Range"])?.total
            if let total, total == start, start > 0 { return .complete(total: total) }
            try file.truncate()
            return .transient("fal answered 416 at byte \(start)")
        case 408, 429, 500...599:
            return .transient("fal answered \(response.status)")
        case 401, 403, 404, 410:
            throw Failure.source("fal answered \(response.status): the file is gone (expired or deleted) or not readable")
        default:
            throw Failure.source("fal answered \(response.status) to the download")
        }
    }

    /// Appends the body to `file`; stops with the problem when it breaks off or grows past `limit` bytes.
    private func consume(
        _ body: AsyncThrowingStream<[UInt8], Error>, into file: StagingFile, limit: Int64
    ) async throws -> String? {
        do {
            for try await chunk in body {
                guard file.size + Int64(chunk.count) <= limit else {
                    if limit == maxBytes { throw Failure.tooLarge(limit: maxBytes, size: nil) }
                    return "the answer ran past the file's announced end"
                }
                try file.append(chunk)
            }
        } catch let error as HTTPClientError {
            return "the download broke off after \(file.size) bytes: \(error)"
        }
        return nil
    }

    /// A served type that differs from the announced one means the URL holds something else; a server that
    /// names no type, or a generic one, is taken at its word.
    private func checkType(_ served: String?, declared: String) throws {
        guard let served, declared != "application/octet-stream" else { return }
        let base = Self.mediaType(served)
        guard base != "application/octet-stream", !base.isEmpty else { return }
        let wanted = Self.mediaType(declared)
        if base != wanted {
            throw Failure.mismatch("fal served Content-Type \(base), the result announces \(wanted)")
        }
    }

    /// `Video/MP4; codecs=…` → `video/mp4`.
    private static func mediaType(_ value: String) -> String {
        value.split(separator: ";").first.map { $0.trimmingCharacters(in: " \t").lowercased() } ?? ""
    }
}

/// `Content-Range: bytes first-last/total` (or `bytes */total`).
struct ContentRange {
    var first: Int64?
    var total: Int64?

    init?(_ header: String?) {
        guard let header, header.hasPrefix("bytes ") else { return nil }
        let spec = header.dropFirst("bytes ".count)
        let parts = spec.split(separator: "/", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        total = Int64(parts[1])
        if parts[0] != "*" {
            guard let dash = parts[0].firstIndex(of: "-"), let first = Int64(parts[0][..<dash]) else { return nil }
            self.first = first
        }
    }
}
