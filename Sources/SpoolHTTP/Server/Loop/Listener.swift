import CLinux
#if canImport(Glibc)
import Glibc
#endif
import Logging

/// The listening socket, owned by loop 0, which accepts every connection and deals them out round-robin to
/// all loops (itself included).
///
/// One listener with a hand-off was chosen over one `SO_REUSEPORT` listener per loop: a port shared that way
/// could also be joined by a second server process (binding would not fail with "address in use"), and the
/// kernel's hash can leave one loop with most of a small set of long-lived connections. The hand-off costs one
/// message per connection, not per request.
final class Listener {
    let fd: Int32
    private let loops: [LoopInbox]
    private var nextLoop = 0
    private var reserve: DescriptorReserve
    /// While accepting is paused after a resource error: when to start again.
    private(set) var resumeAt: UInt64?
    private var lastResourceWarning: UInt64 = 0
    private var droppedSinceWarning = 0

    /// Most connections accepted per readiness event, so one busy burst does not starve the loop's own connections.
    private static let acceptBatch = 128
    private static let pauseNanoseconds: UInt64 = 100_000_000

    init(socket: ListeningSocket, loops: [LoopInbox]) {
        fd = socket.fd
        self.loops = loops
        reserve = DescriptorReserve()
    }

    func register(on loop: EventLoop) throws(SystemCallError) {
        try loop.selector.add(fd, interest: LinuxConstants.epollIn)
    }

    func acceptAvailable(on loop: EventLoop) {
        for _ in 0..<Listener.acceptBatch {
            var peer = SocketAddress()
            let result: NonBlocking<Int32>
            do {
                result = try Syscall.nonBlocking("accept4", subject: "listener") {
                    peer.fill { accept4(fd, $0, $1, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)) }
                }
            } catch {
                guard handleAcceptFailure(error, on: loop) else { return }
                continue
            }
            guard case .done(let client) = result else { return }
            try? ListeningSocket.setOption(client, Int32(IPPROTO_TCP), TCP_NODELAY, 1, name: "setsockopt(TCP_NODELAY)")
            hand(client, remoteAddress: peer.description, from: loop)
        }
    }

    private func hand(_ client: Int32, remoteAddress: String, from loop: EventLoop) {
        let target = nextLoop
        nextLoop = (nextLoop + 1) % loops.count
        if target == loop.index {
            loop.adopt(fd: client, remoteAddress: remoteAddress)
        } else if !loops[target].post(.adopt(fd: client, remoteAddress: remoteAddress)) {
            Syscall.close(client)  // that loop has already stopped (the server is shutting down)
        }
    }

    /// Deals with a failed `accept`; returns whether to go on accepting now. Nothing here stops the server.
    private func handleAcceptFailure(_ error: SystemCallError, on loop: EventLoop) -> Bool {
        switch AcceptFailure(errno: error.errno) {
        case .connectionGone:
            return true
        case .outOfDescriptors:
            // Take the pending connection with the reserved descriptor and close it, so the client hears "no"
            // at once instead of waiting in the backlog; if that fails, stop accepting for a moment.
            droppedSinceWarning += 1
            warnAboutResources(error, on: loop)
            if reserve.shedOne(from: fd) { return true }
            pause(on: loop)
            return false
        case .outOfMemory, .unexpected:
            warnAboutResources(error, on: loop)
            pause(on: loop)
            return false
        }
    }

    private func warnAboutResources(_ error: SystemCallError, on loop: EventLoop) {
        guard loop.now &- lastResourceWarning >= 1_000_000_000 || lastResourceWarning == 0 else { return }
        lastResourceWarning = loop.now
        loop.logger.warning("accepting connections failed; shedding new connections until resources free up", metadata: [
            "error": "\(error)", "dropped_connections": "\(droppedSinceWarning)",
        ])
        droppedSinceWarning = 0
    }

    private func pause(on loop: EventLoop) {
        resumeAt = loop.now &+ Listener.pauseNanoseconds
        try? loop.selector.modify(fd, interest: 0)
    }

    func resume(on loop: EventLoop) {
        resumeAt = nil
        reserve.refill()
        try? loop.selector.modify(fd, interest: LinuxConstants.epollIn)
    }

    /// Stops accepting for good: the kernel refuses new connections from here on.
    func close(on loop: EventLoop) {
        loop.selector.remove(fd)
        Syscall.close(fd)
        reserve.release()
    }
}

/// How the server reacts to an `accept` error.
enum AcceptFailure: Equatable {
    /// The connection died in the backlog (or was refused by policy): accept the next one.
    case connectionGone
    /// EMFILE/ENFILE: no descriptor for the new connection.
    case outOfDescriptors
    /// ENOBUFS/ENOMEM: the kernel is short of memory.
    case outOfMemory
    /// Anything else: log it and pause briefly, never stop the server.
    case unexpected

    init(errno: Int32) {
        switch errno {
        case ECONNABORTED, EPROTO, EPERM, ENETDOWN, ENOPROTOOPT, EHOSTDOWN, ENONET, EHOSTUNREACH, EOPNOTSUPP, ENETUNREACH:
            self = .connectionGone
        case EMFILE, ENFILE:
            self = .outOfDescriptors
        case ENOBUFS, ENOMEM:
            self = .outOfMemory
        default:
            self = .unexpected
        }
    }
}
