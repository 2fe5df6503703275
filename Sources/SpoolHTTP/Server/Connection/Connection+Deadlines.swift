/// The one deadline a connection has at a time, and what happens when it passes.
extension Connection {
    enum DeadlineKind {
        /// No request in progress for `idleTimeout`: close silently.
        case idle
        /// The header section did not arrive within `headerTimeout` of its first byte: 408 and close.
        case header
        /// The body made no progress for `bodyReadTimeout`: 408 and close.
        case body
        /// Queued output made no progress for `idleTimeout` (the client stopped reading): close.
        case send
        /// A closing connection's linger is over: close.
        case linger
    }

    /// The connection's current deadline, derived from its state.
    func nextDeadline() -> (at: UInt64, kind: DeadlineKind)? {
        let configuration = loop.context.configuration
        let sendDeadline = lastSendAt &+ Connection.nanoseconds(configuration.idleTimeout)
        switch phase {
        case .closed:
            return nil
        case .lingering:
            return (lingerDeadline, .linger)
        case .awaitingHandler, .streaming:
            return output.hasPending ? (sendDeadline, .send) : nil
        case .sendingFile:
            return (sendDeadline, .send)
        case .reading:
            let reading: (at: UInt64, kind: DeadlineKind)
            if parser.isReadingBody {
                reading = (lastReadAt &+ Connection.nanoseconds(configuration.bodyReadTimeout), .body)
            } else if let requestStartedAt {
                reading = (requestStartedAt &+ Connection.nanoseconds(configuration.headerTimeout), .header)
            } else if output.hasPending {
                return (sendDeadline, .send)
            } else {
                return (max(idleSince, lastSendAt) &+ Connection.nanoseconds(configuration.idleTimeout), .idle)
            }
            if output.hasPending, sendDeadline < reading.at { return (sendDeadline, .send) }
            return reading
        }
    }

    /// Files the current deadline in the loop's heap, unless an entry at or before it is already there.
    func scheduleDeadline() {
        guard let deadline = nextDeadline() else { return }
        if let timerAt, timerAt <= deadline.at { return }
        loop.timers.push(DeadlineHeap.Entry(deadline: deadline.at, fd: fd, connectionID: id))
        timerAt = deadline.at
    }

    /// The heap entry came due: act if the deadline has really passed, otherwise file the later one.
    func deadlineReached() {
        guard let deadline = nextDeadline() else { return }
        guard deadline.at <= loop.now else {
            scheduleDeadline()
            return
        }
        let configuration = loop.context.configuration
        switch deadline.kind {
        case .idle, .send, .linger:
            close()
        case .header:
            refuse(HTTPError(
                .requestTimeout, code: "request_timeout",
                message: "The request's header section did not arrive within \(configuration.headerTimeout) seconds."))
            afterActivity()
        case .body:
            refuse(HTTPError(
                .requestTimeout, code: "request_timeout",
                message: "The request body made no progress for \(configuration.bodyReadTimeout) seconds."))
            afterActivity()
        }
    }

    static func nanoseconds(_ seconds: Double) -> UInt64 {
        UInt64(max(0, min(seconds, 1e9)) * 1e9)
    }
}
