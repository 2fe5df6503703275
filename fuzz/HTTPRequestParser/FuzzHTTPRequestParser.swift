/// libFuzzer entry for `RequestParser`, compiled into the SpoolHTTP module by `fuzz/build.sh`.
///
/// The input (after its first byte) is a byte stream from a client; the first byte seeds how the stream is cut
/// into reads. Every input checks: the parser consumes only what it was given; the events are the same whether
/// the stream arrives whole, one byte at a time or in the seeded pieces; an accepted head never carries both
/// Content-Length and Transfer-Encoding; a complete request's body has exactly the length its framing announced
/// and stays within the limit.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzHTTPRequestParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let stream = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let whole = FuzzedStream.events(stream, pieceLengths: [stream.count])
    let bytewise = FuzzedStream.events(stream, pieceLengths: Array(repeating: 1, count: stream.count))
    let pieces = FuzzedStream.events(stream, pieceLengths: FuzzedStream.pieceLengths(stream.count, seed: data[0]))
    precondition(whole == bytewise, "byte-at-a-time reads changed the events: \(whole) vs \(bytewise)")
    precondition(whole == pieces, "reads cut at other places changed the events: \(whole) vs \(pieces)")
    return 0
}

/// Feeds a stream to a parser the way a connection does, and checks each event as it comes.
enum FuzzedStream {
    /// Small limits, so that short inputs reach them.
    static let limits: RequestParser.Limits = {
        var configuration = HTTPServerConfiguration()
        configuration.maxRequestLineLength = 200
        configuration.maxHeaderBytes = 400
        configuration.maxHeaderCount = 12
        configuration.maxBodyBytes = 300
        var limits = RequestParser.Limits(configuration)
        limits.maxChunkLineLength = 40
        return limits
    }()

    /// Lengths of reads from 1 to 16 bytes that add up to `total`, chosen by `seed`.
    static func pieceLengths(_ total: Int, seed: UInt8) -> [Int] {
        var state = UInt32(seed) &* 2_654_435_761 | 1
        var lengths: [Int] = []
        var left = total
        while left > 0 {
            state = state &* 1_103_515_245 &+ 12_345
            let length = min(left, Int(state >> 16) % 16 + 1)
            lengths.append(length)
            left -= length
        }
        return lengths
    }

    /// The events, as text, of parsing `stream` delivered in reads of `pieceLengths`, with unconsumed bytes kept
    /// in front of the next read as the connection keeps them.
    static func events(_ stream: [UInt8], pieceLengths: [Int]) -> [String] {
        var parser = RequestParser(limits: limits)
        var pending: [UInt8] = []
        var head: RequestHead?
        var events: [String] = []
        var offset = 0
        for length in pieceLengths {
            pending += stream[offset..<offset + length]
            offset += length
            while true {
                let (consumed, event) = pending.withUnsafeBufferPointer { parser.parse($0) }
                precondition(consumed >= 0 && consumed <= pending.count, "consumed \(consumed) of \(pending.count) bytes")
                pending.removeFirst(consumed)
                switch event {
                case .needMoreData:
                    break
                case .head(let found):
                    check(found)
                    head = found
                    events.append("head \(found.method) \(found.target) \(found.headers.count) fields")
                    continue
                case .end(let body):
                    guard let found = head else { preconditionFailure("a request ended without a head") }
                    check(body: body, of: found)
                    head = nil
                    events.append("end \(body.count) bytes, \(body.reduce(0) { $0 &* 31 &+ Int($1) })")
                    continue
                case .failure(let error):
                    events.append("failure \(error.kind)")
                    return events
                }
                break
            }
        }
        return events
    }

    /// No accepted head is framed two ways, and HTTP/1.0 never by chunks.
    static func check(_ head: RequestHead) {
        let chunked = !head.headers.values("Transfer-Encoding").isEmpty
        let lengths = head.headers.values("Content-Length")
        precondition(!(chunked && !lengths.isEmpty), "a head with both Content-Length and Transfer-Encoding was accepted")
        precondition(!(chunked && head.isHTTP10), "an HTTP/1.0 head with Transfer-Encoding was accepted")
    }

    /// The body has the length the head's framing announced, within the limit.
    static func check(body: [UInt8], of head: RequestHead) {
        precondition(body.count <= limits.maxBodyBytes, "a body of \(body.count) bytes passed a limit of \(limits.maxBodyBytes)")
        let lengths = head.headers.values("Content-Length").flatMap { $0.split(separator: ",") }
        if let announced = lengths.first {
            let text = announced.filter { $0 != " " && $0 != "\t" }
            precondition(body.count == Int(text), "Content-Length \(text) framed a body of \(body.count) bytes")
        } else if head.headers.values("Transfer-Encoding").isEmpty {
            precondition(body.isEmpty, "a request without framing headers got a body of \(body.count) bytes")
        }
    }
}
