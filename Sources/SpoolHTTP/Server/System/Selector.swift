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
    private let events: UnsafeMutableRawPointer

    init(capacity: Int = 512) throws(SystemCallError) {
        epollFD = try Syscall.blocking("epoll_create1") { LinuxCalls.shared.epollCreate1(LinuxConstants.closeOnExec) }
        self.capacity = capacity
        events = UnsafeMutableRawPointer.allocate(
            byteCount: capacity * LinuxConstants.epollEventSize, alignment: MemoryLayout<UInt64>.alignment)
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
            LinuxCalls.shared.epollWait(epollFD, events, Int32(capacity), timeoutMilliseconds)
        })
    }

    /// The descriptor and event flags of ready slot `index` from the last `wait`.
    func event(at index: Int) -> (fd: Int32, events: UInt32) {
        let event = events + index * LinuxConstants.epollEventSize
        let flags = event.loadUnaligned(as: UInt32.self)
        let data = event.loadUnaligned(fromByteOffset: LinuxConstants.epollDataOffset, as: UInt64.self)
        return (Int32(truncatingIfNeeded: data), flags)
    }

    private func control(_ operation: Int32, _ fd: Int32, _ interest: UInt32, call: StaticString) throws(SystemCallError) {
        var event = (UInt64(0), UInt64(0))
        try withUnsafeMutableBytes(of: &event) { (raw) throws(SystemCallError) in
            raw.storeBytes(of: interest, as: UInt32.self)
            raw.storeBytes(of: UInt64(UInt32(bitPattern: fd)), toByteOffset: LinuxConstants.epollDataOffset, as: UInt64.self)
            try Syscall.blocking(call, subject: "fd \(fd)") {
                LinuxCalls.shared.epollControl(epollFD, operation, fd, raw.baseAddress)
            }
        }
    }
}
