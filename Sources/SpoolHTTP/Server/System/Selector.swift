import CLinux
#if canImport(Glibc)
import Glibc
#endif

/// One epoll instance: which descriptors want which events, and a wait for the next ready ones.
///
/// Used only by the event-loop thread that owns it. Registrations are level-triggered, so a descriptor that
/// still has work is reported again on the next wait; callers change a descriptor's interest only when it
/// really changes (see `Connection.updateInterest`).
final class Selector {
    private let epollFD: Int32
    private let capacity: Int
    private let events: UnsafeMutablePointer<epoll_event>

    init(capacity: Int = 512) throws(SystemCallError) {
        epollFD = try Syscall.blocking("epoll_create1") { epoll_create1(LinuxConstants.closeOnExec) }
        self.capacity = capacity
        events = UnsafeMutablePointer<epoll_event>.allocate(capacity: capacity)
    }

    deinit {
        Syscall.close(epollFD)
        events.deallocate()
    }

    func add(_ fd: Int32, interest: UInt32) throws(SystemCallError) {
        try control(LinuxConstants.epollAdd, fd, interest, call: "epoll_ctl(ADD)")
    }

    func modify(_ fd: Int32, interest: UInt32) throws(SystemCallError) {
        try control(LinuxConstants.epollModify, fd, interest, call: "epoll_ctl(MOD)")
    }

    /// Stops watching `fd`. Closing a descriptor also removes it, so this is needed only for one kept open.
    func remove(_ fd: Int32) {
        _ = try? control(LinuxConstants.epollDelete, fd, 0, call: "epoll_ctl(DEL)")
    }

    /// Waits up to `timeoutMilliseconds` (-1: without limit) and returns how many descriptors are ready; read
    /// each with `event(at:)` before waiting again.
    func wait(timeoutMilliseconds: Int32) throws(SystemCallError) -> Int {
        Int(try Syscall.blocking("epoll_wait") {
            epoll_wait(epollFD, events, Int32(capacity), timeoutMilliseconds)
        })
    }

    /// The descriptor and event flags of ready slot `index` from the last `wait`.
    func event(at index: Int) -> (fd: Int32, events: UInt32) {
        (events[index].data.fd, events[index].events)
    }

    private func control(_ operation: Int32, _ fd: Int32, _ interest: UInt32, call: StaticString) throws(SystemCallError) {
        var event = epoll_event()
        event.events = interest
        event.data.fd = fd
        try Syscall.blocking(call, subject: "fd \(fd)") { epoll_ctl(epollFD, operation, fd, &event) }
    }
}
