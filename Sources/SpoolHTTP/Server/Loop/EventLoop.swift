#if canImport(Glibc)
import Glibc
#endif
import Logging

/// One event-loop thread: an epoll selector, the connections it owns, their deadlines, and an inbox through
/// which other threads (the accepting loop, handler tasks, streaming writers, shutdown) reach it.
///
/// Everything here except `inbox` is touched only by the loop's own thread, from `run()` down.
final class EventLoop {
    let index: Int
    let inbox: LoopInbox
    let selector: Selector
    let context: ServerContext
    var logger: Logger { context.logger }

    /// Monotonic nanoseconds, refreshed each time `epoll_wait` returns.
    private(set) var now: UInt64
    private(set) var isDraining = false
    private var graceDeadline: UInt64?

    private var connections: [Connection?] = []
    private(set) var connectionCount = 0
    private var nextConnectionID: UInt64 = 1
    var timers = DeadlineHeap()

    /// The listener, on the loop that accepts (loop 0 only).
    var listener: Listener?
    /// Scratch space every read on this loop goes through; bytes are then copied into the connection's buffer.
    let readBuffer: UnsafeMutableRawBufferPointer
    var dates = DateCache()
    var requestIDs = RequestIDGenerator()
    var accessLines = AccessLineFormatter()
    private var onStop: (@Sendable () -> Void)?

    init(index: Int, context: ServerContext, onStop: @escaping @Sendable () -> Void) throws(SystemCallError) {
        self.index = index
        self.context = context
        self.onStop = onStop
        inbox = try LoopInbox()
        selector = try Selector()
        now = Syscall.monotonicNanoseconds()
        readBuffer = .allocate(byteCount: 64 * 1024, alignment: 16)
        try selector.add(inbox.wakeFD, interest: LinuxConstants.epollIn)
    }

    deinit {
        readBuffer.deallocate()
    }

    /// Runs the loop on a new thread. The loop belongs to that thread from here on: the caller keeps only `inbox`.
    func start() throws(SystemCallError) {
        try LoopThread.start(name: "spool-http-\(index)") { self.run() }
    }

    private func run() {
        while !(isDraining && connectionCount == 0) {
            let count: Int
            do {
                count = try selector.wait(timeoutMilliseconds: waitTimeout())
            } catch {
                logger.critical("event loop cannot wait for events; closing its connections", metadata: [
                    "error": "\(error)", "loop": "\(index)",
                ])
                break
            }
            now = Syscall.monotonicNanoseconds()
            for slot in 0..<count {
                let (fd, events) = selector.event(at: slot)
                dispatch(fd: fd, events: events)
            }
            fireDeadlines()
        }
        stop()
    }

    private func dispatch(fd: Int32, events: UInt32) {
        if fd == inbox.wakeFD {
            for message in inbox.takeAll() { handle(message) }
        } else if let listener, fd == listener.fd {
            listener.acceptAvailable(on: self)
        } else if let connection = connection(fd: fd) {
            connection.handle(events: events)
        }
    }

    private func handle(_ message: LoopMessage) {
        switch message {
        case .adopt(let fd, let remoteAddress):
            adopt(fd: fd, remoteAddress: remoteAddress)
        case .handlerFinished(let completion):
            if let connection = connection(fd: completion.fd, id: completion.connectionID) {
                connection.handlerFinished(completion.info, completion.response)
            } else {
                Connection.logAbandoned(completion.info, response: completion.response, on: self)
            }
        case .streamReady(let fd, let connectionID):
            connection(fd: fd, id: connectionID)?.streamReady()
        case .beginShutdown(let gracePeriod):
            beginShutdown(gracePeriod: gracePeriod)
        }
    }

    /// Takes over an accepted connection.
    func adopt(fd: Int32, remoteAddress: String) {
        guard !isDraining else {
            Syscall.close(fd)
            return
        }
        let connection = Connection(loop: self, fd: fd, id: nextConnectionID, remoteAddress: remoteAddress)
        nextConnectionID += 1
        do {
            try selector.add(fd, interest: connection.interest)
        } catch {
            logger.error("cannot watch an accepted connection", metadata: ["error": "\(error)"])
            Syscall.close(fd)
            return
        }
        let slot = Int(fd)
        if slot >= connections.count { connections.append(contentsOf: repeatElement(nil, count: slot + 1 - connections.count)) }
        connections[slot] = connection
        connectionCount += 1
        connection.scheduleDeadline()
    }

    /// Forgets a connection that has closed its descriptor.
    func forget(_ connection: Connection) {
        let slot = Int(connection.fd)
        guard slot < connections.count, connections[slot] === connection else { return }
        connections[slot] = nil
        connectionCount -= 1
    }

    private func connection(fd: Int32) -> Connection? {
        let slot = Int(fd)
        return slot >= 0 && slot < connections.count ? connections[slot] : nil
    }

    private func connection(fd: Int32, id: UInt64) -> Connection? {
        guard let connection = connection(fd: fd), connection.id == id else { return nil }
        return connection
    }

    /// Milliseconds until the earliest deadline (rounded up), or -1 when there is none.
    private func waitTimeout() -> Int32 {
        var earliest = timers.earliest?.deadline ?? .max
        if let graceDeadline { earliest = min(earliest, graceDeadline) }
        if let resumeAt = listener?.resumeAt { earliest = min(earliest, resumeAt) }
        guard earliest != .max else { return -1 }
        let current = Syscall.monotonicNanoseconds()
        guard earliest > current else { return 0 }
        return Int32(min((earliest - current + 999_999) / 1_000_000, 60_000))
    }

    private func fireDeadlines() {
        while let entry = timers.popDue(at: now) {
            guard let connection = connection(fd: entry.fd, id: entry.connectionID), connection.timerAt == entry.deadline
            else { continue }
            connection.timerAt = nil
            connection.deadlineReached()
        }
        if let listener, let resumeAt = listener.resumeAt, resumeAt <= now {
            listener.resume(on: self)
        }
        if let graceDeadline, graceDeadline <= now {
            self.graceDeadline = nil
            forceCloseAll()
        }
    }

    private func beginShutdown(gracePeriod: Double) {
        guard !isDraining else { return }
        isDraining = true
        graceDeadline = now &+ UInt64(max(0, gracePeriod) * 1e9)
        listener?.close(on: self)
        listener = nil
        for connection in connections.compactMap({ $0 }) { connection.serverIsDraining() }
    }

    private func forceCloseAll() {
        let remaining = connections.compactMap { $0 }
        if !remaining.isEmpty {
            logger.warning("closing connections still busy after the shutdown grace period", metadata: [
                "connections": "\(remaining.count)", "loop": "\(index)",
            ])
        }
        for connection in remaining { connection.close() }
    }

    private func stop() {
        forceCloseAll()
        listener?.close(on: self)
        listener = nil
        // Connections handed over while this loop was finishing are closed, not leaked.
        for case .adopt(let fd, _) in inbox.close() { Syscall.close(fd) }
        onStop?()
        onStop = nil
    }
}
