import Logging
import SpoolJSON
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Spool's log output: one line per event on standard error, as text for people or JSON lines for machines.
///
/// Text: `2026-11-25T09:00:00.123Z info spool.http: request finished method=GET path=/healthz status=200`.
/// JSON: `{"ts":"…","level":"info","logger":"spool.http","msg":"request finished","method":"GET",…}`.
/// Metadata keys are sorted so that lines are stable and diffable.
public struct SpoolLogHandler: LogHandler {
    public enum Format: String, Sendable {
        case text, json
    }

    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let format: Format
    private let sink: LogSink

    public init(label: String, format: Format, level: Logger.Level, sink: LogSink = .standardError) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.sink = sink
    }

    /// Makes every `Logger` created after this call use Spool's handler.
    public static func bootstrap(format: Format, level: Logger.Level, sink: LogSink = .standardError) {
        LoggingSystem.bootstrap { label in SpoolLogHandler(label: label, format: format, level: level, sink: sink) }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
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
        sink.write(line + "\n")
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

/// Where log lines go. Writes are whole lines, serialised by a lock so that lines from threads never interleave.
public final class LogSink: Sendable {
    private let target: Mutex<Target>

    private enum Target {
        case descriptor(Int32)
        case memory([String])
    }

    private init(_ target: Target) { self.target = Mutex(target) }

    /// Standard error, unbuffered.
    public static let standardError = LogSink(.descriptor(2))

    /// Lines kept in memory, for tests that read what was logged.
    public static func memory() -> LogSink { LogSink(.memory([])) }

    public func write(_ line: String) {
        target.withLock { target in
            switch target {
            case .descriptor(let descriptor):
                var bytes = Array(line.utf8)
                var offset = 0
                while offset < bytes.count {
                    let written = bytes.withUnsafeMutableBytes { buffer in
                        Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    }
                    if written < 0, errno == EINTR { continue }
                    if written <= 0 { return }
                    offset += written
                }
            case .memory(var lines):
                lines.append(line)
                target = .memory(lines)
            }
        }
    }

    /// The lines written so far to a memory sink (empty for standard error).
    public var lines: [String] {
        target.withLock { target in
            if case .memory(let lines) = target { return lines }
            return []
        }
    }
}
