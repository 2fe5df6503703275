import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Waits for SIGTERM or SIGINT, the signals a container runtime or a terminal sends to stop a process.
enum ShutdownSignals {
    /// Returns the name of the first of SIGTERM or SIGINT the process receives. The signals' default action
    /// (ending the process at once) is switched off first, so that the caller can shut down gracefully.
    static func wait() async -> String {
        let queue = DispatchQueue(label: "spool.signals")
        let received = SignalMailbox()
        let sources = [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")].map { number, name in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { received.deliver(name) }
            source.resume()
            return source
        }
        let name = await received.next()
        sources.forEach { $0.cancel() }
        return name
    }
}

/// Hands the first signal's name to the one waiter, whichever comes first.
private final class SignalMailbox: Sendable {
    private enum State {
        case empty
        case waiting(CheckedContinuation<String, Never>)
        case delivered(String)
    }

    private let state = Mutex(State.empty)

    func deliver(_ name: String) {
        let waiter: CheckedContinuation<String, Never>? = state.withLock { state in
            switch state {
            case .empty:
                state = .delivered(name)
                return nil
            case .waiting(let continuation):
                state = .delivered(name)
                return continuation
            case .delivered:
                return nil
            }
        }
        waiter?.resume(returning: name)
    }

    func next() async -> String {
        await withCheckedContinuation { continuation in
            let ready: String? = state.withLock { state in
                if case .delivered(let name) = state { return name }
                state = .waiting(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
