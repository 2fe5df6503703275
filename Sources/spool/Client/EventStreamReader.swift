import SpoolJSON

/// One server-sent event: its `event:` name and its `data:` parsed as JSON (null when it is not JSON).
struct ServerEvent: Sendable {
    let name: String
    let data: JSONValue
}

/// Cuts a `text/event-stream` body into events: lines of `field: value`, an event ending at a blank line;
/// comment lines (`:` first) are keep-alives and skipped.
struct EventStreamReader {
    private var buffer: [UInt8] = []
    private var name = "message"
    private var data: [String] = []

    /// Adds received bytes and returns the events they complete.
    mutating func feed(_ bytes: [UInt8]) -> [ServerEvent] {
        buffer += bytes
        var events: [ServerEvent] = []
        while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
            var line = String(decoding: buffer[..<newline], as: UTF8.self)
            buffer.removeSubrange(...newline)
            if line.hasSuffix("\r") { line.removeLast() }
            if line.isEmpty {
                if !data.isEmpty {
                    let text = data.joined(separator: "\n")
                    events.append(ServerEvent(name: name, data: (try? JSONValue(parsing: text)) ?? .string(text)))
                }
                name = "message"
                data = []
            } else if !line.hasPrefix(":") {
                let field = line.prefix { $0 != ":" }
                var value = line.dropFirst(field.count).dropFirst()
                if value.hasPrefix(" ") { value = value.dropFirst() }
                if field == "event" { name = String(value) }
                if field == "data" { data.append(String(value)) }
            }
        }
        return events
    }
}
