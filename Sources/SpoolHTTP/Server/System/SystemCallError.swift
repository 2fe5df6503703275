#if canImport(Glibc)
import Glibc
#endif

/// A system call that failed: which call, on what, and the `errno` it left.
///
/// Its description reads like `bind(127.0.0.1:8080) failed: Address already in use (errno 98)`.
public struct SystemCallError: Error, Sendable, CustomStringConvertible {
    /// The name of the call, such as `bind` or `epoll_ctl`.
    public let call: String
    /// The `errno` value the call set.
    public let errno: Int32
    /// What the call was applied to (an address, a descriptor), when that helps.
    public let subject: String

    public init(call: String, errno: Int32, subject: String = "") {
        self.call = call
        self.errno = errno
        self.subject = subject
    }

    public var description: String {
        "\(call)(\(subject)) failed: \(String(cString: strerror(errno))) (errno \(errno))"
    }
}
