#if canImport(Glibc)
import Glibc
#endif

/// The `Date` header value (IMF-fixdate, RFC 9110 §5.6.7), formatted at most once per second per loop.
struct DateCache {
    private var second: time_t = -1
    private var formatted: [UInt8] = []

    private static let days: [StaticString] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months: [StaticString] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The current date, such as `Sun, 06 Nov 1994 08:49:37 GMT`.
    mutating func current() -> [UInt8] {
        let now = time(nil)
        if now != second {
            second = now
            formatted = DateCache.format(now)
        }
        return formatted
    }

    static func format(_ seconds: time_t) -> [UInt8] {
        var moment = seconds
        var parts = tm()
        gmtime_r(&moment, &parts)
        var out: [UInt8] = []
        out.reserveCapacity(29)
        out.append(contentsOf: UnsafeRawBufferPointer(start: days[Int(parts.tm_wday)].utf8Start, count: 3))
        out.append(contentsOf: Array(", ".utf8))
        appendTwoDigits(Int(parts.tm_mday), to: &out)
        out.append(0x20)
        out.append(contentsOf: UnsafeRawBufferPointer(start: months[Int(parts.tm_mon)].utf8Start, count: 3))
        out.append(0x20)
        let year = Int(parts.tm_year) + 1900
        appendTwoDigits(year / 100, to: &out)
        appendTwoDigits(year % 100, to: &out)
        out.append(0x20)
        appendTwoDigits(Int(parts.tm_hour), to: &out)
        out.append(UInt8(ascii: ":"))
        appendTwoDigits(Int(parts.tm_min), to: &out)
        out.append(UInt8(ascii: ":"))
        appendTwoDigits(Int(parts.tm_sec), to: &out)
        out.append(contentsOf: Array(" GMT".utf8))
        return out
    }

    private static func appendTwoDigits(_ value: Int, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "0") + UInt8(value / 10))
        out.append(UInt8(ascii: "0") + UInt8(value % 10))
    }
}
