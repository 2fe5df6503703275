import CLinux
#if canImport(Glibc)
import Glibc
#endif

/// Constants of `<sys/epoll.h>` and `<fcntl.h>` as the server uses them (event masks are `UInt32`, as in
/// `struct epoll_event`), read from the system headers through the `CLinux` shim.
enum LinuxConstants {
    static let epollIn = EPOLLIN.rawValue
    static let epollOut = EPOLLOUT.rawValue
    static let epollError = EPOLLERR.rawValue
    static let epollHangUp = EPOLLHUP.rawValue
    static let epollReadHangUp = EPOLLRDHUP.rawValue

    static let epollAdd = EPOLL_CTL_ADD
    static let epollDelete = EPOLL_CTL_DEL
    static let epollModify = EPOLL_CTL_MOD

    static let closeOnExec = Int32(O_CLOEXEC)
    static let nonBlocking = Int32(O_NONBLOCK)
}
