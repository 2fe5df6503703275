#if canImport(Glibc)
import Glibc
#endif

/// An incremental HTTP/1.1 request parser.
///
/// The connection hands it all unparsed bytes at once; it consumes whole lines and body bytes, returns how many
/// it consumed and what it found, and keeps its place across calls. A line that has not fully arrived is left
/// unconsumed, but the parser remembers how much of it it has already searched, so a client that sends one byte
/// at a time costs linear, not quadratic, work. Every size is checked against the limits as bytes arrive, before
/// the end of a line or section is seen.
///
/// Line endings: CRLF, or a bare LF, anywhere (request line, fields, chunk lines, trailers); a CR anywhere else
/// is refused.
struct RequestParser {
    struct Limits: Sendable {
        var maxRequestLineLength: Int
        var maxHeaderBytes: Int
        var maxHeaderCount: Int
        var maxBodyBytes: Int
        /// Longest chunk-size line (size plus extensions).
        var maxChunkLineLength = 4096

        init(_ configuration: HTTPServerConfiguration) {
            maxRequestLineLength = configuration.maxRequestLineLength
            maxHeaderBytes = configuration.maxHeaderBytes
            maxHeaderCount = configuration.maxHeaderCount
            maxBodyBytes = configuration.maxBodyBytes
        }
    }

    enum Event {
        /// Everything given was consumed or is part of a line still arriving.
        case needMoreData
        /// The request line and header section are complete and valid; the body (if any) follows.
        case head(RequestHead)
        /// The request is complete. The parser is ready for the next one.
        case end(body: [UInt8])
        /// The request is refused; the connection answers and closes. The parser must not be used again.
        case failure(RequestParseError)
    }

    enum Phase: Equatable {
        case requestLine
        case headerLines
        case fixedBody(remaining: Int)
        case chunkSizeLine
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailerLines
        case complete
    }

    let limits: Limits
    var phase = Phase.requestLine
    /// Bytes at the start of the current, unfinished line already known to hold no LF.
    private var scanned = 0
    /// The parts of the request line, once it has been read.
    var startLine: StartLine?
    /// The method and target, as soon as the request line could be split (even if its version is then refused),
    /// so that a refused request can still be logged by name.
    var named: (method: HTTPMethod, target: String)?
    var headers = HTTPHeaders()
    /// Bytes and fields of the header (or trailer) section so far.
    var sectionBytes = 0
    var sectionCount = 0
    var body: [UInt8] = []

    init(limits: Limits) {
        self.limits = limits
    }

    /// Whether the parser is past the header section, reading a body (or its trailers).
    var isReadingBody: Bool {
        switch phase {
        case .requestLine, .headerLines: false
        default: true
        }
    }

    /// Parses as much of `bytes` as it can.
    mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> (consumed: Int, event: Event) {
        var offset = 0
        while true {
            switch phase {
            case .requestLine, .headerLines, .chunkSizeLine, .trailerLines:
                switch nextLine(in: bytes, from: offset) {
                case .incomplete:
                    return (offset, .needMoreData)
                case .tooLong:
                    return (offset, .failure(lineTooLong))
                case .line(let line, let next):
                    let lineBytes = next - offset
                    offset = next
                    if let event = handle(line: line, length: lineBytes) { return (offset, event) }
                }
            case .fixedBody(let remaining):
                let taken = min(remaining, bytes.count - offset)
                body.append(contentsOf: bytes.slice(offset, offset + taken))
                offset += taken
                phase = remaining == taken ? .complete : .fixedBody(remaining: remaining - taken)
                if remaining != taken { return (offset, .needMoreData) }
            case .chunkData(let remaining):
                let taken = min(remaining, bytes.count - offset)
                body.append(contentsOf: bytes.slice(offset, offset + taken))
                offset += taken
                phase = remaining == taken ? .chunkDataEnd : .chunkData(remaining: remaining - taken)
                if remaining != taken { return (offset, .needMoreData) }
            case .chunkDataEnd:
                guard offset < bytes.count else { return (offset, .needMoreData) }
                if bytes[offset] == ByteClass.lineFeed {
                    offset += 1
                } else if bytes[offset] == ByteClass.carriageReturn {
                    guard offset + 1 < bytes.count else { return (offset, .needMoreData) }
                    guard bytes[offset + 1] == ByteClass.lineFeed else { return (offset, .failure(missingChunkEnd)) }
                    offset += 2
                } else {
                    return (offset, .failure(missingChunkEnd))
                }
                phase = .chunkSizeLine
            case .complete:
                let finished = body
                reset()
                return (offset, .end(body: finished))
            }
        }
    }

    private mutating func reset() {
        phase = .requestLine
        scanned = 0
        startLine = nil
        named = nil
        headers = HTTPHeaders()
        sectionBytes = 0
        sectionCount = 0
        body = []
    }

    /// Dispatches a complete line to the current phase; returns an event when the caller must hear of one.
    private mutating func handle(line: UnsafeBufferPointer<UInt8>, length: Int) -> Event? {
        switch phase {
        case .requestLine:
            return parseRequestLine(line).map(Event.failure)
        case .headerLines:
            if line.isEmpty { return finishHead() }
            sectionBytes += length
            if let error = parseField(line, keep: true) { return .failure(error) }
            return nil
        case .chunkSizeLine:
            return parseChunkSize(line).map(Event.failure)
        case .trailerLines:
            if line.isEmpty {
                phase = .complete
                return nil
            }
            sectionBytes += length
            return parseField(line, keep: false).map(Event.failure)
        default:
            return nil
        }
    }

    private mutating func finishHead() -> Event {
        guard let startLine else { return .failure(RequestParseError(.badRequest, "The request has no request line.")) }
        let rules = MessageFramingRules(isHTTP10: startLine.version.minor == 0, maxBodyBytes: limits.maxBodyBytes)
        let framing: BodyFraming
        let expectsContinue: Bool
        switch rules.framing(of: headers) {
        case .failure(let error): return .failure(error)
        case .success(let found): framing = found
        }
        switch rules.expectsContinue(headers, framing: framing) {
        case .failure(let error): return .failure(error)
        case .success(let expects): expectsContinue = expects
        }
        switch framing {
        case .none:
            phase = .complete
        case .length(let length):
            body.reserveCapacity(length)
            phase = .fixedBody(remaining: length)
        case .chunked:
            phase = .chunkSizeLine
        }
        return .head(RequestHead(
            method: startLine.method, target: startLine.target, absoluteForm: startLine.absoluteForm,
            version: startLine.version, headers: headers, expectsContinue: expectsContinue))
    }

    // MARK: Lines

    private enum LineSearch {
        case line(UnsafeBufferPointer<UInt8>, next: Int)
        case incomplete
        case tooLong
    }

    /// The longest line content (without its line ending) the current phase accepts.
    private var maxLineContent: Int {
        switch phase {
        case .requestLine: limits.maxRequestLineLength
        case .chunkSizeLine: limits.maxChunkLineLength
        default: max(0, limits.maxHeaderBytes - sectionBytes)
        }
    }

    private var lineTooLong: RequestParseError {
        switch phase {
        case .requestLine:
            RequestParseError(.uriTooLong, "The request line is longer than \(limits.maxRequestLineLength) bytes.")
        case .chunkSizeLine:
            RequestParseError(.badRequest, "A chunk-size line is longer than \(limits.maxChunkLineLength) bytes.")
        default:
            RequestParseError(.headerFieldsTooLarge, "The header section is larger than \(limits.maxHeaderBytes) bytes.")
        }
    }

    private var missingChunkEnd: RequestParseError {
        RequestParseError(.badRequest, "Chunk data is not followed by CRLF.")
    }

    /// Finds the next LF from `offset`, searching no further than the phase's limit allows.
    private mutating func nextLine(in bytes: UnsafeBufferPointer<UInt8>, from offset: Int) -> LineSearch {
        let limit = maxLineContent
        let available = bytes.count - offset
        let searchable = min(available, limit + 2)  // content, CR, LF
        guard searchable > scanned, let base = bytes.baseAddress else {
            return available > limit + 1 ? .tooLong : .incomplete
        }
        let start = base + offset + scanned
        guard let found = memchr(start, Int32(ByteClass.lineFeed), searchable - scanned) else {
            if available >= limit + 2 { return .tooLong }
            scanned = searchable
            return .incomplete
        }
        let end = offset + scanned + (UnsafeRawPointer(found) - UnsafeRawPointer(start))
        scanned = 0
        var contentEnd = end
        if contentEnd > offset, bytes[contentEnd - 1] == ByteClass.carriageReturn { contentEnd -= 1 }
        if contentEnd - offset > limit { return .tooLong }
        return .line(bytes.slice(offset, contentEnd), next: end + 1)
    }
}
