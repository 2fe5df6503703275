#if canImport(Glibc)
import Glibc
#endif

/// A system call that failed: which call, on what, and the `errno` it left.
///
/// Its description reads like `bind(127.0.0.1:8080) failed: Address already in use (errno 98)`.
package struct SystemCallError: Error, Sendable, CustomStringConvertible {
    /// The name of the call, such as `bind` or `epoll_ctl`.
    package let call: String
    /// The `errno` value the call set.
    package let errno: Int32
    /// What the call was applied to (an address, a descriptor), when that helps.
    package let subject: String

    package init(call: String, errno: Int32, subject: String = "") {
        self.call = call
        self.errno = errno
        self.subject = subject
    }

    package var description: String {
        "\(call)(\(subject)) failed: \(String(cString: strerror(errno))) (errno \(errno))"
    }
}
