#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The emulator's time: monotonic seconds since it was made (for scheduling, immune to wall-clock steps), and
/// the wall-clock reading of any such moment (for log timestamps and webhook headers).
struct SimClock: Sendable {
    private let origin = ContinuousClock.now
    private let wallOrigin: Double = SimClock.wallNow()

    /// Seconds since the clock was made.
    var now: Double {
        let elapsed = ContinuousClock.now - origin
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }

    /// Unix time (seconds since 1970) of the moment `time` on this clock.
    func unixTime(at time: Double) -> Double { wallOrigin + time }

    /// Unix time of the current moment, from the wall clock.
    static func wallNow() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
    }

    /// RFC 3339 text in UTC with microseconds: `2026-11-25T10:36:00.123456Z`.
    static func rfc3339(unixTime: Double) -> String {
        var seconds = time_t(unixTime.rounded(.down))
        let micros = Int(((unixTime - Double(seconds)) * 1_000_000).rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let microText = String(micros)
        let fraction = String(repeating: "0", count: max(0, 6 - microText.count)) + microText
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(fraction)Z"
    }
}
