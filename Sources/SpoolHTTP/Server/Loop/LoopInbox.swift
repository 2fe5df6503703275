import CLinux
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// The thread-safe side of an event loop: a queue of messages and an eventfd that wakes the loop's
/// `epoll_wait` when the first message of a batch arrives.
///
/// The eventfd stays open for as long as anyone holds the inbox (it is closed in `deinit`), so a late
/// `post` from a handler task can never write to a descriptor number that has been reused.
final class LoopInbox: Sendable {
    /// The eventfd the loop watches for readability.
    let wakeFD: Int32

    private struct State {
        var messages: [LoopMessage] = []
        /// A wake-up was written and the loop has not yet taken the messages: later posts need not write again.
        var wakePending = false
        /// The loop has stopped; posts are dropped.
        var closed = false
    }

    private let state = Mutex(State())

    init() throws(SystemCallError) {
        wakeFD = try Syscall.blocking("eventfd") {
            eventfd(0, LinuxConstants.nonBlocking | LinuxConstants.closeOnExec)
        }
    }

    deinit {
        Syscall.close(wakeFD)
    }

    /// Queues `message` for the loop; returns false (dropping it) when the loop has already stopped.
    @discardableResult
    func post(_ message: LoopMessage) -> Bool {
        let (accepted, mustWake) = state.withLock { state -> (Bool, Bool) in
            guard !state.closed else { return (false, false) }
            state.messages.append(message)
            guard !state.wakePending else { return (true, false) }
            state.wakePending = true
            return (true, true)
        }
        if mustWake {
            var one: UInt64 = 1
            // The counter cannot overflow (one write per batch), so EAGAIN cannot happen; other errors cannot either.
            _ = write(wakeFD, &one, MemoryLayout<UInt64>.size)
        }
        return accepted
    }

    /// Called by the loop when the eventfd is readable: resets the counter and takes every queued message.
    func takeAll() -> [LoopMessage] {
        var counter: UInt64 = 0
        _ = read(wakeFD, &counter, MemoryLayout<UInt64>.size)
        return state.withLock { state in
            state.wakePending = false
            defer { state.messages.removeAll(keepingCapacity: true) }
            return state.messages
        }
    }

    /// Called by the loop as it stops: later messages are dropped. Returns the messages never taken.
    func close() -> [LoopMessage] {
        state.withLock { state in
            state.closed = true
            defer { state.messages = [] }
            return state.messages
        }
    }
}
