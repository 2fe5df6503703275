/// Splits a `text/event-stream` body into the `data` of its events (the WHATWG event-stream format).
///
/// Lines end in CRLF, LF or CR; a blank line ends an event; `data:` lines of one event join with newlines;
/// comments (`:` lines) and other fields are skipped. Bytes may arrive split anywhere, even inside a CRLF.
struct ServerSentEventParser {
    private var line: [UInt8] = []
    private var data: [String] = []
    private var afterCarriageReturn = false

    /// Feeds body bytes; returns the data of every event they completed.
    mutating func feed(_ bytes: [UInt8]) -> [String] {
        var events: [String] = []
        for byte in bytes {
            if afterCarriageReturn {
                afterCarriageReturn = false
                if byte == 10 { continue }
            }
            switch byte {
            case 13:
                afterCarriageReturn = true
                endLine(into: &events)
            case 10:
                endLine(into: &events)
            default:
                line.append(byte)
            }
        }
        return events
    }

    /// At the end of the body: the data of an event that lacked its closing blank line, if any. (The standard
    /// drops it; a status that made it this far is worth keeping.)
    mutating func finish() -> [String] {
        var events: [String] = []
        if !line.isEmpty { endLine(into: &events) }
        endLine(into: &events)
        return events
    }

    private mutating func endLine(into events: inout [String]) {
        defer { line.removeAll(keepingCapacity: true) }
        guard !line.isEmpty else {
            if !data.isEmpty { events.append(data.joined(separator: "\n")) }
            data.removeAll()
            return
        }
        guard line.first != UInt8(ascii: ":") else { return }
        let colon = line.firstIndex(of: UInt8(ascii: ":")) ?? line.endIndex
        guard line[..<colon].elementsEqual("data".utf8) else { return }
        var value = line[min(colon + 1, line.endIndex)...]
        if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
        data.append(String(decoding: value, as: UTF8.self))
    }
}
