#if canImport(Glibc)
import Glibc
#endif
import SpoolJSON

/// One event loop's access-line maker: counts requests for sampling, keeps the timestamp's date and time of the
/// current second, and formats each line into a reused buffer field by field, without building strings.
struct AccessLineFormatter {
    private var line: [UInt8] = []
    private var counted = 0
    private var second = -1
    /// `YYYY-MM-DDTHH:MM:SS.` of `second`.
    private var secondPrefix: [UInt8] = []

    /// Formats and queues the line for `info` when `log`'s sampling picks this request.
    mutating func write(_ info: RequestInfo, status: Int, nanoseconds: UInt64, to log: AccessLog) {
        switch log.sampling {
        case .off: return
        case .all: break
        case .oneIn(let n):
            defer { counted = (counted + 1) % n }
            guard counted == 0 else { return }
        }
        line.removeAll(keepingCapacity: true)
        switch log.format {
        case .text: appendText(info, status: status, nanoseconds: nanoseconds, label: log.label)
        case .json: appendJSON(info, status: status, nanoseconds: nanoseconds, label: log.label)
        }
        line.append(UInt8(ascii: "\n"))
        log.writer.append(line)
    }

    /// `… info spool.http: request duration_ms=0.42 method=GET path=/healthz request_id=… status=200`.
    private mutating func appendText(_ info: RequestInfo, status: Int, nanoseconds: UInt64, label: String) {
        appendTimestamp()
        line.append(contentsOf: " info ".utf8)
        line.append(contentsOf: label.utf8)
        line.append(contentsOf: ": request duration_ms=".utf8)
        appendMilliseconds(nanoseconds)
        line.append(contentsOf: " method=".utf8)
        appendTextValue(info.method.rawValue)
        line.append(contentsOf: " path=".utf8)
        appendTextValue(info.path)
        line.append(contentsOf: " request_id=".utf8)
        appendTextValue(info.requestID)
        line.append(contentsOf: " status=".utf8)
        appendInteger(status)
    }

    /// `{"ts":"…","level":"info","logger":"spool.http","msg":"request","duration_ms":"0.42",…}`: every field a
    /// string, as the log handler writes metadata.
    private mutating func appendJSON(_ info: RequestInfo, status: Int, nanoseconds: UInt64, label: String) {
        line.append(contentsOf: #"{"ts":""#.utf8)
        appendTimestamp()
        line.append(contentsOf: #"","level":"info","logger":"#.utf8)
        JSONValue.writeString(label, to: &line)
        line.append(contentsOf: #","msg":"request","duration_ms":""#.utf8)
        appendMilliseconds(nanoseconds)
        line.append(contentsOf: #"","method":"#.utf8)
        JSONValue.writeString(info.method.rawValue, to: &line)
        line.append(contentsOf: #","path":"#.utf8)
        JSONValue.writeString(info.path, to: &line)
        line.append(contentsOf: #","request_id":"#.utf8)
        JSONValue.writeString(info.requestID, to: &line)
        line.append(contentsOf: #","status":""#.utf8)
        appendInteger(status)
        line.append(contentsOf: #""}"#.utf8)
    }

    /// A value as the log handler writes it in text: quoted when it holds a space.
    private mutating func appendTextValue(_ value: String) {
        if value.utf8.contains(UInt8(ascii: " ")) {
            line.append(UInt8(ascii: "\""))
            line.append(contentsOf: value.utf8)
            line.append(UInt8(ascii: "\""))
        } else {
            line.append(contentsOf: value.utf8)
        }
    }

    /// Whole microseconds as milliseconds, the way a `Double` prints them: `0.042`, `12.5`, `3.0`.
    private mutating func appendMilliseconds(_ nanoseconds: UInt64) {
        let microseconds = Int(nanoseconds / 1000)
        appendInteger(microseconds / 1000)
        line.append(UInt8(ascii: "."))
        var fraction = microseconds % 1000
        guard fraction != 0 else {
            line.append(UInt8(ascii: "0"))
            return
        }
        var digits = 3
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        appendPadded(fraction, width: digits)
    }

    private mutating func appendInteger(_ value: Int) {
        if value >= 10 { appendInteger(value / 10) }
        line.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    private mutating func appendPadded(_ value: Int, width: Int) {
        var divisor = 1
        for _ in 1..<max(1, width) { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            line.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    /// The wall-clock time as `YYYY-MM-DDTHH:MM:SS.mmmZ` (UTC), like `Timestamp.rfc3339`.
    private mutating func appendTimestamp() {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        if Int(now.tv_sec) != second {
            second = Int(now.tv_sec)
            secondPrefix = Self.formatSecond(now.tv_sec)
        }
        line.append(contentsOf: secondPrefix)
        appendPadded(Int(now.tv_nsec) / 1_000_000, width: 3)
        line.append(UInt8(ascii: "Z"))
    }

    private static func formatSecond(_ seconds: time_t) -> [UInt8] {
        var moment = seconds
        var parts = tm()
        gmtime_r(&moment, &parts)
        var formatter = AccessLineFormatter()
        formatter.appendPadded(Int(parts.tm_year) + 1900, width: 4)
        formatter.line.append(UInt8(ascii: "-"))
        formatter.appendPadded(Int(parts.tm_mon) + 1, width: 2)
        formatter.line.append(UInt8(ascii: "-"))
        formatter.appendPadded(Int(parts.tm_mday), width: 2)
        formatter.line.append(UInt8(ascii: "T"))
        formatter.appendPadded(Int(parts.tm_hour), width: 2)
        formatter.line.append(UInt8(ascii: ":"))
        formatter.appendPadded(Int(parts.tm_min), width: 2)
        formatter.line.append(UInt8(ascii: ":"))
        formatter.appendPadded(Int(parts.tm_sec), width: 2)
        formatter.line.append(UInt8(ascii: "."))
        return formatter.line
    }
}
