#if canImport(Glibc)
import Glibc
#endif

/// Sending a file body: `sendfile` from the file to the socket whenever the socket can take more, so the
/// bytes never sit in the process and a slow reader costs an open file, not memory.
extension Connection {
    /// A file body in progress.
    struct ActiveFile {
        let file: HTTPFile
        /// The next byte of the file to send, and the end of the range (exclusive).
        var next: Int64
        let end: Int64
        let info: RequestInfo
        let status: Int
        let keepAlive: Bool
        var bytesSent: Int
    }

    /// Bytes sent per `sendfile` call, and per turn of the loop (so that one fast reader does not hold the loop;
    /// the socket stays writable and the loop comes back to it).
    static let fileChunkBytes = 1 << 20
    static let fileTurnBytes = 4 << 20

    /// Sends what the socket takes of the file body; ends the response once the range is out. A file that
    /// turns out shorter than announced (truncated meanwhile) closes the connection: the client sees a short
    /// body, never bytes that are not the file's.
    func sendFileBody() {
        guard var active = fileBody else { return }
        var sentThisTurn = 0
        while active.next < active.end, sentThisTurn < Connection.fileTurnBytes {
            var offset = off_t(active.next)
            let count = Int(min(active.end - active.next, Int64(Connection.fileChunkBytes)))
            let result: NonBlocking<Int>
            do {
                result = try Syscall.nonBlocking("sendfile", subject: "fd \(fd)") {
                    sendfile(fd, active.file.descriptor, &offset, count)
                }
            } catch {
                fileBody = active
                close()
                return
            }
            guard case .done(let sent) = result else { break }
            guard sent > 0 else {
                fileBody = active
                close()
                return
            }
            active.next += Int64(sent)
            active.bytesSent += sent
            sentThisTurn += sent
            lastSendAt = loop.now
        }
        guard active.next >= active.end else {
            fileBody = active
            return
        }
        fileBody = nil
        phase = .reading
        if !active.keepAlive { closeAfterOutput = true }
        recordFinished(active.info, status: active.status, bytesSent: active.bytesSent)
    }
}
