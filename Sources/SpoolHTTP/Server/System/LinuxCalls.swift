#if canImport(Glibc)
import Glibc
#endif

/// The Linux calls the server needs that Swift's `Glibc` module does not import (they are declared only under
/// `_GNU_SOURCE` or in headers it leaves out), looked up once by name in the C library already loaded.
///
/// A C target would be the usual home for these; resolving the handful we need keeps the package free of C code.
struct LinuxCalls: Sendable {
    typealias EpollCreate1 = @convention(c) (Int32) -> Int32
    typealias EpollControl = @convention(c) (Int32, Int32, Int32, UnsafeMutableRawPointer?) -> Int32
    typealias EpollWait = @convention(c) (Int32, UnsafeMutableRawPointer?, Int32, Int32) -> Int32
    typealias EventFD = @convention(c) (UInt32, Int32) -> Int32
    typealias Accept4 = @convention(c) (Int32, UnsafeMutablePointer<sockaddr>?, UnsafeMutablePointer<socklen_t>?, Int32) -> Int32
    typealias SetThreadName = @convention(c) (pthread_t, UnsafePointer<CChar>) -> Int32

    let epollCreate1: EpollCreate1
    let epollControl: EpollControl
    let epollWait: EpollWait
    let eventFD: EventFD
    let accept4: Accept4
    let setThreadName: SetThreadName

    static let shared = LinuxCalls()

    private init() {
        epollCreate1 = LinuxCalls.symbol("epoll_create1")
        epollControl = LinuxCalls.symbol("epoll_ctl")
        epollWait = LinuxCalls.symbol("epoll_wait")
        eventFD = LinuxCalls.symbol("eventfd")
        accept4 = LinuxCalls.symbol("accept4")
        setThreadName = LinuxCalls.symbol("pthread_setname_np")
    }

    private static func symbol<Function>(_ name: String) -> Function {
        // dlsym with a null handle is RTLD_DEFAULT on glibc: search every object already loaded.
        guard let address = dlsym(nil, name) else {
            fatalError("The C library has no \(name); SpoolHTTP needs Linux with glibc.")
        }
        return unsafeBitCast(address, to: Function.self)
    }
}

/// Constants from `<sys/epoll.h>`, `<sys/eventfd.h>` and `<sys/socket.h>` that `Glibc` does not import.
enum LinuxConstants {
    static let epollIn: UInt32 = 0x001
    static let epollOut: UInt32 = 0x004
    static let epollError: UInt32 = 0x008
    static let epollHangUp: UInt32 = 0x010
    static let epollReadHangUp: UInt32 = 0x2000

    static let epollAdd: Int32 = 1
    static let epollDelete: Int32 = 2
    static let epollModify: Int32 = 3

    static let closeOnExec = Int32(O_CLOEXEC)
    static let nonBlocking = Int32(O_NONBLOCK)

    /// `struct epoll_event` is packed on x86-64 (12 bytes, data at offset 4) and naturally aligned elsewhere.
    #if arch(x86_64)
    static let epollEventSize = 12
    static let epollDataOffset = 4
    #else
    static let epollEventSize = 16
    static let epollDataOffset = 8
    #endif
}
