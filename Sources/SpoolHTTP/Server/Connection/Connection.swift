#if canImport(Glibc)
import Glibc
#endif

/// One client connection, owned by one event loop and touched only on that loop's thread.
///
/// Its life: `reading` (waiting for or parsing a request) → `awaitingHandler` (an `.async` handler is running),
/// `streaming` (a streamed body is being sent) or `sendingFile` (a file body is being sent) → back to `reading` for the next request on the connection,
/// and finally `lingering` (an answer that closes the connection has been sent; our side is shut down and
/// whatever the client still sends is read and dropped, so that closing does not reset the connection before
/// the client has read the answer) → `closed`.
///
/// Requests are answered one at a time and in order: pipelined requests wait in the input buffer until the
/// response before them has been queued in full.
final class Connection {
    enum Phase: Equatable {
        case reading
        case awaitingHandler
        case streaming
        case sendingFile
        case lingering
        case closed
    }

    /// A streamed response in progress.
    struct ActiveStream {
        let writer: StreamWriter
        let task: Task<Void, Never>
        let info: RequestInfo
        let status: Int
        /// HTTP/1.1 streams are chunked; HTTP/1.0 streams are sent raw and end when the connection closes.
        let chunked: Bool
        let keepAlive: Bool
        var bytesSent: Int
    }

    unowned let loop: EventLoop
    let fd: Int32
    let id: UInt64
    let remoteAddress: String

    var phase = Phase.reading
    var input = InputBuffer()
    var parser: RequestParser
    var output = OutputBuffer()
    var pendingHead: RequestHead?
    var stream: ActiveStream?
    var fileBody: ActiveFile?
    /// The epoll events currently registered.
    private(set) var interest: UInt32
    /// The peer shut down its sending side (EPOLLRDHUP); bytes before that may still be read.
    var peerSentEnd = false
    /// A read returned end-of-file: nothing more will come.
    var peerClosedRead = false
    /// Once the queued output is sent, stop answering: shut down our side and linger.
    var closeAfterOutput = false

    /// When the current request's first byte arrived; nil while no request is in progress.
    var requestStartedAt: UInt64?
    var lastReadAt: UInt64
    var lastSendAt: UInt64
    var idleSince: UInt64
    var lingerDeadline: UInt64 = 0
    /// The deadline of this connection's live entry in the loop's deadline heap.
    var timerAt: UInt64?

    /// How long a closing connection keeps reading (and dropping) what the client still sends.
    static let lingerNanoseconds: UInt64 = 2_000_000_000

    init(loop: EventLoop, fd: Int32, id: UInt64, remoteAddress: String) {
        self.loop = loop
        self.fd = fd
        self.id = id
        self.remoteAddress = remoteAddress
        parser = RequestParser(limits: RequestParser.Limits(loop.context.configuration))
        interest = LinuxConstants.epollIn | LinuxConstants.epollReadHangUp
        lastReadAt = loop.now
        lastSendAt = loop.now
        idleSince = loop.now
    }

    // MARK: Events

    func handle(events: UInt32) {
        if events & LinuxConstants.epollError != 0 {
            close()
            return
        }
        if events & LinuxConstants.epollReadHangUp != 0 {
            peerSentEnd = true
            // A client that stops sending while a stream runs has gone (an event-stream reader never half-closes).
            if phase == .streaming {
                close()
                return
            }
        }
        if events & (LinuxConstants.epollIn | LinuxConstants.epollReadHangUp | LinuxConstants.epollHangUp) != 0 {
            readAvailable()
            guard phase != .closed else { return }
        }
        if events & LinuxConstants.epollHangUp != 0 {
            close()
            return
        }
        afterActivity()
    }

    private var canRead: Bool {
        !peerClosedRead && (phase == .lingering || input.count < loop.context.inputLimit)
    }

    /// Reads until the socket is drained (a short read or EAGAIN), the input buffer is full, or four buffers'
    /// worth has been read (so one fast sender cannot monopolise the loop).
    private func readAvailable() {
        let buffer = loop.readBuffer
        for _ in 0..<4 where canRead {
            let result: NonBlocking<Int>
            do {
                result = try Syscall.nonBlocking("read", subject: "fd \(fd)") { read(fd, buffer.baseAddress, buffer.count) }
            } catch {
                close()
                return
            }
            guard case .done(let count) = result else { return }
            if count == 0 {
                peerClosedRead = true
                peerSentEnd = true
                return
            }
            lastReadAt = loop.now
            if phase != .lingering {
                if phase == .reading, requestStartedAt == nil { requestStartedAt = loop.now }
                input.append(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                if phase == .reading { processInput() }
                guard phase != .closed else { return }
            }
            if count < buffer.count { return }
        }
    }

    /// Sends queued output until the socket would block.
    func flush() {
        while output.hasPending {
            do {
                guard case .done = try output.send(to: fd) else { break }
                lastSendAt = loop.now
            } catch {
                close()
                return
            }
        }
        if phase == .sendingFile, !output.hasPending { sendFileBody() }
        if phase == .streaming, let stream { stream.writer.reportUnsent(output.pendingBytes) }
        if phase == .reading, closeAfterOutput, !output.hasPending { beginLinger() }
    }

    /// Brings the connection up to date after anything happened to it: parses buffered requests, sends, closes
    /// when there is nothing left to do, and re-arms interest and deadline.
    func afterActivity() {
        guard phase != .closed else { return }
        // Parse, send, and parse again while sending made room for answers to requests already buffered: with
        // the input buffer full no read event would come to resume parsing.
        var progress = Connection.InputProgress.outputFull
        while progress == .outputFull {
            progress = phase == .reading ? processInput() : .stopped
            guard phase != .closed else { return }
            let pendingBefore = output.pendingBytes
            let wasSendingFile = phase == .sendingFile
            flush()
            guard phase != .closed else { return }
            // A file body just ended: requests that came behind it can be answered now.
            if wasSendingFile, phase == .reading {
                progress = .outputFull
                continue
            }
            if output.pendingBytes == pendingBefore { break }
        }
        // Parsing has stopped for want of bytes: with the client gone, or the server draining, none will be answered.
        if phase == .reading, !output.hasPending, !closeAfterOutput,
            peerClosedRead || (loop.isDraining && !parser.isReadingBody)
        {
            close()
            return
        }
        if phase == .lingering, peerClosedRead {
            close()
            return
        }
        updateInterest()
        scheduleDeadline()
    }

    private func updateInterest() {
        var wanted: UInt32 = 0
        if !peerSentEnd { wanted |= LinuxConstants.epollReadHangUp }
        if canRead { wanted |= LinuxConstants.epollIn }
        if output.hasPending || phase == .sendingFile { wanted |= LinuxConstants.epollOut }
        guard wanted != interest else { return }
        do {
            try loop.selector.modify(fd, interest: wanted)
            interest = wanted
        } catch {
            loop.logger.error("cannot change a connection's epoll interest", metadata: ["error": "\(error)"])
            close()
        }
    }

    /// Our answer ends the connection: shut down our sending side, then read and drop what the client still sends
    /// until it closes or `lingerNanoseconds` pass.
    private func beginLinger() {
        guard !peerClosedRead else {
            close()
            return
        }
        _ = shutdown(fd, Int32(SHUT_WR))
        phase = .lingering
        input.removeAll()
        lingerDeadline = loop.now &+ Connection.lingerNanoseconds
    }

    /// Closes the descriptor and forgets the connection. A stream in progress is ended: its writer throws
    /// `closed` and its task is cancelled. An `.async` handler still running is left to finish; its response is
    /// then logged and dropped.
    func close() {
        guard phase != .closed else { return }
        let wasStreaming = phase == .streaming
        phase = .closed
        Syscall.close(fd)
        loop.forget(self)
        if let stream {
            stream.writer.close()
            stream.task.cancel()
            if wasStreaming { recordFinished(stream.info, status: stream.status, bytesSent: stream.bytesSent) }
            self.stream = nil
        }
        if let fileBody {
            recordFinished(fileBody.info, status: fileBody.status, bytesSent: fileBody.bytesSent)
            self.fileBody = nil
        }
    }

    /// The server began shutting down: a connection with no request in progress closes now; one in progress
    /// closes after its response (every response from here on says `Connection: close`).
    func serverIsDraining() {
        afterActivity()
    }
}
