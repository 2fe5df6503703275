#if canImport(Glibc)
import Glibc
#endif

/// The outcome of a non-blocking call: it did its work, or it would have had to wait.
enum NonBlocking<Value> {
    case done(Value)
    case wouldBlock
}

/// The one place that calls into the C library and reads `errno`.
///
/// Every call is retried on `EINTR`; `EAGAIN`/`EWOULDBLOCK` become `.wouldBlock` where a call may legitimately
/// have to wait, and any other failure throws a `SystemCallError` that names the call.
enum Syscall {
    /// Runs `body` (which returns -1 and sets `errno` on failure), retrying `EINTR` and reporting "would block".
    @inline(__always)
    static func nonBlocking<T: FixedWidthInteger>(
        _ call: StaticString, subject: @autoclosure () -> String = "", _ body: () -> T
    ) throws(SystemCallError) -> NonBlocking<T> {
        while true {
            let result = body()
            if result >= 0 { return .done(result) }
            let code = errno
            switch code {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            default: throw SystemCallError(call: "\(call)", errno: code, subject: subject())
            }
        }
    }

    /// Runs `body` (which returns -1 and sets `errno` on failure), retrying `EINTR`; any failure throws.
    @inline(__always)
    @discardableResult
    static func blocking<T: FixedWidthInteger>(
        _ call: StaticString, subject: @autoclosure () -> String = "", _ body: () -> T
    ) throws(SystemCallError) -> T {
        while true {
            let result = body()
            if result >= 0 { return result }
            let code = errno
            if code == EINTR { continue }
            throw SystemCallError(call: "\(call)", errno: code, subject: subject())
        }
    }

    /// Closes `fd`. `close` is never retried: on Linux the descriptor is released even when it reports `EINTR`.
    static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    /// A monotonic timestamp in nanoseconds, for deadlines and durations.
    static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)
    }
}
