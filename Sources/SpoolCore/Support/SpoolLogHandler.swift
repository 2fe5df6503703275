import Logging
import SpoolHTTP
import SpoolJSON
import Synchronization

/// Spool's log output: one line per event on standard error, as text for people or JSON lines for machines.
///
/// Text: `2026-11-25T09:00:00.123Z info spool.http: request finished method=GET path=/healthz status=200`.
/// JSON: `{"ts":"…","level":"info","logger":"spool.http","msg":"request finished","method":"GET",…}`.
/// Metadata keys are sorted so that lines are stable and diffable.
package struct SpoolLogHandler: LogHandler {
    package enum Format: String, Sendable {
        case text, json
    }

    package var metadata: Logger.Metadata = [:]
    package var logLevel: Logger.Level
    package var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let format: Format
    private let sink: LogSink

    package init(label: String, format: Format, level: Logger.Level, sink: LogSink = .standardError) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.sink = sink
    }

    /// Makes every `Logger` created after this call use Spool's handler.
    package static func bootstrap(format: Format, level: Logger.Level, sink: LogSink = .standardError) {
        LoggingSystem.bootstrap { label in SpoolLogHandler(label: label, format: format, level: level, sink: sink) }
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let own = event.metadata { merged.merge(own) { _, new in new } }
        if let error = event.error { merged["error"] = "\(error)" }
        let time = Timestamp.now().rfc3339
        let line: String
        switch format {
        case .text:
            var text = "\(time) \(event.level) \(label): \(event.message)"
            for key in merged.keys.sorted() { text += " \(key)=\(Self.flatten(merged[key]!))" }
            line = text
        case .json:
            var object: JSONObject = [
                "ts": .string(time), "level": .string(event.level.rawValue), "logger": .string(label),
                "msg": .string(event.message.description),
            ]
            for key in merged.keys.sorted() where object[key] == nil { object[key] = Self.json(merged[key]!) }
            line = JSONValue.object(object).serializedString()
        }
        sink.write(line + "\n", immediately: event.level >= .notice)
    }

    private static func flatten(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let text): return text.contains(" ") ? "\"\(text)\"" : text
        case .stringConvertible(let convertible): return convertible.description
        case .array(let items): return "[" + items.map(flatten).joined(separator: ",") + "]"
        case .dictionary(let entries):
            return "{" + entries.keys.sorted().map { "\($0)=\(flatten(entries[$0]!))" }.joined(separator: ",") + "}"
        }
    }

    private static func json(_ value: Logger.MetadataValue) -> JSONValue {
        switch value {
        case .string(let text): return .string(text)
        case .stringConvertible(let convertible):
            if let number = convertible as? Int { return .integer(Int64(number)) }
            if let number = convertible as? Double { return .number(number) }
            if let flag = convertible as? Bool { return .bool(flag) }
            return .string(convertible.description)
        case .array(let items): return .array(items.map(json))
        case .dictionary(let entries): return .object(JSONObject(entries.keys.sorted().map { ($0, json(entries[$0]!)) }))
        }
    }
}

/// Where log lines go. Lines are whole and never interleave. On standard error they share the access log's
/// `BufferedLineWriter`: lines below notice are buffered with the access lines (written within 100 ms, at exit,
/// and at the end of `spool serve`), and notices and worse are written before `write` returns, after every line
/// queued before them. A crash can lose the last 100 ms of info and debug lines, never a warning.
package final class LogSink: Sendable {
    /// Nil for a memory sink.
    private let writer: BufferedLineWriter?
    private let memoryLines = Mutex<[String]>([])

    private init(writer: BufferedLineWriter?) { self.writer = writer }

    /// Standard error.
    package static let standardError = LogSink(writer: .standardError)

    /// Lines kept in memory, for tests that read what was logged.
    package static func memory() -> LogSink { LogSink(writer: nil) }

    package func write(_ line: String, immediately: Bool) {
        if let writer {
            if immediately { writer.writeNow(Array(line.utf8)) } else { writer.append(Array(line.utf8)) }
        } else {
            memoryLines.withLock { $0.append(line) }
        }
    }

    /// The lines written so far to a memory sink (empty for standard error).
    package var lines: [String] { memoryLines.withLock { $0 } }
}
