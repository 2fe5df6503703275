#if canImport(Glibc)
import Glibc
#endif

/// One descriptor held back (open on `/dev/null`) so that when the process runs out of descriptors the
/// listener can still take a pending connection and close it, instead of leaving it hanging in the backlog
/// and being woken for it again and again.
struct DescriptorReserve {
    private var fd: Int32 = -1

    init() {
        refill()
    }

    /// Opens the reserve again if it is spent; fails quietly while descriptors are still short.
    mutating func refill() {
        guard fd < 0 else { return }
        fd = open("/dev/null", O_RDONLY | O_CLOEXEC)
    }

    /// Frees the reserve, accepts one pending connection on `listener` and closes it at once, then refills.
    /// Returns false when there was no reserve to spend or the accept failed.
    mutating func shedOne(from listener: Int32) -> Bool {
        guard fd >= 0 else { return false }
        Syscall.close(fd)
        fd = -1
        let client = accept(listener, nil, nil)
        if client >= 0 { Syscall.close(client) }
        refill()
        return client >= 0
    }

    mutating func release() {
        if fd >= 0 { Syscall.close(fd) }
        fd = -1
    }
}
