#if canImport(Glibc)
import Glibc
#endif

/// A bound, listening, non-blocking TCP socket.
///
/// It is bound without `SO_REUSEPORT`, so a second server on the same port fails with "address in use" instead
/// of silently sharing the port; `SO_REUSEADDR` lets a restarted server bind while old connections linger in
/// TIME_WAIT.
struct ListeningSocket {
    let fd: Int32
    /// The address actually bound (with the kernel's port when port 0 was asked for).
    let address: SocketAddress

    /// The configuration's host was neither an IP literal nor `localhost`.
    static func invalidHost(_ host: String) -> SystemCallError {
        SystemCallError(call: "inet_pton", errno: EINVAL, subject: host)
    }

    init(host: String, port: Int, backlog: Int32) throws(SystemCallError) {
        guard let requested = SocketAddress(host: host, port: port) else { throw ListeningSocket.invalidHost(host) }
        let subject = requested.description
        let fd = try Syscall.blocking("socket", subject: subject) {
            socket(requested.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        }
        do {
            try ListeningSocket.setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1, name: "setsockopt(SO_REUSEADDR)")
            try requested.withSockAddr { (address, length) throws(SystemCallError) in
                try Syscall.blocking("bind", subject: subject) { bind(fd, address, length) }
            }
            try Syscall.blocking("listen", subject: subject) { listen(fd, backlog) }
            var bound = SocketAddress()
            try Syscall.blocking("getsockname", subject: subject) { bound.fill { getsockname(fd, $0, $1) } }
            self.fd = fd
            self.address = bound
        } catch {
            Syscall.close(fd)
            throw error
        }
    }

    static func setOption(_ fd: Int32, _ level: Int32, _ option: Int32, _ value: Int32, name: StaticString) throws(SystemCallError) {
        var value = value
        try Syscall.blocking(name, subject: "fd \(fd)") {
            setsockopt(fd, level, option, &value, socklen_t(MemoryLayout<Int32>.size))
        }
    }
}
