import Synchronization

/// The `HTTPBodyWriter` of one streamed response.
///
/// A handler's task calls `write`; the chunk is queued here and the owning loop is told (one message per batch,
/// not per chunk), takes the chunks, frames and sends them, and reports how much is still unsent. `write`
/// waits while more than the configured number of bytes are queued or unsent. When the connection closes (the
/// peer left, a send failed, or the server's grace period ended) every waiting and later `write` throws
/// `HTTPBodyWriterError.closed`.
final class StreamWriter: HTTPBodyWriter {
    /// How the stream ended, as the loop learns it.
    enum Ending: Sendable {
        case finished
        case failed(String)
    }

    private struct State {
        var chunks: [[UInt8]] = []
        /// Bytes in `chunks`, plus bytes the loop has taken but not yet sent.
        var unsentBytes = 0
        var ending: Ending?
        var closed = false
        /// A `streamReady` message is on its way and the loop has not taken the chunks yet.
        var loopNotified = false
        var waiters: [CheckedContinuation<Void, any Error>] = []
    }

    private let state = Mutex(State())
    private let inbox: LoopInbox
    private let fd: Int32
    private let connectionID: UInt64
    private let limit: Int

    init(inbox: LoopInbox, fd: Int32, connectionID: UInt64, limit: Int) {
        self.inbox = inbox
        self.fd = fd
        self.connectionID = connectionID
        self.limit = limit
    }

    func write(_ bytes: [UInt8]) async throws {
        let (notify, overLimit) = try state.withLock { state throws -> (Bool, Bool) in
            guard !state.closed, state.ending == nil else { throw HTTPBodyWriterError.closed }
            // An empty chunk would end a chunked body early; there is nothing to send anyway.
            guard !bytes.isEmpty else { return (false, false) }
            state.chunks.append(bytes)
            state.unsentBytes += bytes.count
            defer { state.loopNotified = true }
            return (!state.loopNotified, state.unsentBytes > limit)
        }
        if notify { inbox.post(.streamReady(fd: fd, connectionID: connectionID)) }
        if overLimit { try await waitForRoom() }
    }

    private func waitForRoom() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let ready: Result<Void, any Error>? = state.withLock { state in
                if state.closed { return .failure(HTTPBodyWriterError.closed) }
                if state.unsentBytes <= limit { return .success(()) }
                state.waiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }

    /// The stream's closure returned: the loop sends the last chunk once everything before it is out.
    func finish() {
        end(.finished)
    }

    /// The stream's closure threw: the loop closes the connection without the last chunk, so the client sees
    /// a truncated response rather than a complete one.
    func fail(_ error: any Error) {
        end(.failed(String(describing: error)))
    }

    private func end(_ ending: Ending) {
        let notify = state.withLock { state -> Bool in
            guard !state.closed, state.ending == nil else { return false }
            state.ending = ending
            defer { state.loopNotified = true }
            return !state.loopNotified
        }
        if notify { inbox.post(.streamReady(fd: fd, connectionID: connectionID)) }
    }

    // MARK: Called by the owning loop

    /// Takes the queued chunks and, once they are all taken, how the stream ended.
    func take() -> (chunks: [[UInt8]], ending: Ending?) {
        state.withLock { state in
            state.loopNotified = false
            defer { state.chunks.removeAll() }
            return (state.chunks, state.ending)
        }
    }

    /// The loop reports how many of the taken bytes the socket has not yet accepted; wakes a waiting writer
    /// when there is room again.
    func reportUnsent(_ bytesOnConnection: Int) {
        let resumed = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            let queued = state.chunks.reduce(0) { $0 + $1.count }
            state.unsentBytes = queued + bytesOnConnection
            guard state.unsentBytes <= limit, !state.waiters.isEmpty else { return [] }
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in resumed { waiter.resume() }
    }

    /// The connection is gone: wake waiting writers with `closed`, and refuse every later write.
    func close() {
        let resumed = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            state.closed = true
            state.chunks = []
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in resumed { waiter.resume(throwing: HTTPBodyWriterError.closed) }
    }
}
