#if canImport(Glibc)
import Glibc
#endif

enum ByteQueues {
    /// A drained buffer keeps its storage only up to this size, so an idle connection that once carried a large
    /// request or response does not go on holding that memory.
    static let retainedCapacity = 16 * 1024
}

/// Bytes read from a connection and not yet parsed.
struct InputBuffer {
    private var bytes: [UInt8] = []
    private var start = 0

    var count: Int { bytes.count - start }
    var isEmpty: Bool { start == bytes.count }

    mutating func append(_ chunk: UnsafeRawBufferPointer) {
        if start > 0, start == bytes.count {
            bytes.removeAll(keepingCapacity: bytes.capacity <= ByteQueues.retainedCapacity)
            start = 0
        }
        bytes.append(contentsOf: chunk)
    }

    /// Calls `body` with the unparsed bytes; it returns how many it consumed.
    mutating func consume(_ body: (UnsafeBufferPointer<UInt8>) -> Int) {
        let consumed = bytes.withUnsafeBufferPointer { all in body(UnsafeBufferPointer(rebasing: all[start...])) }
        start += consumed
        if start == bytes.count {
            bytes.removeAll(keepingCapacity: bytes.capacity <= ByteQueues.retainedCapacity)
            start = 0
        } else if start >= 16 * 1024, start * 2 >= bytes.count {
            bytes.removeFirst(start)
            start = 0
        }
    }

    mutating func removeAll() {
        bytes = []
        start = 0
    }
}

/// Bytes queued for a connection and not yet accepted by the kernel.
struct OutputBuffer {
    private var bytes: [UInt8] = []
    private var sent = 0

    var pendingBytes: Int { bytes.count - sent }
    var hasPending: Bool { sent < bytes.count }

    /// Appends through `body`, which writes onto the end of the buffer.
    mutating func write(_ body: (inout [UInt8]) -> Void) {
        body(&bytes)
    }

    mutating func append(_ chunk: [UInt8]) {
        bytes.append(contentsOf: chunk)
    }

    /// Sends as much as the socket takes. Returns how many bytes went, `.wouldBlock` when none could.
    mutating func send(to fd: Int32) throws(SystemCallError) -> NonBlocking<Int> {
        let offset = sent
        let result = try Syscall.nonBlocking("send", subject: "fd \(fd)") {
            bytes.withUnsafeBytes { raw in Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL)) }
        }
        if case .done(let count) = result {
            sent += count
            if sent == bytes.count {
                bytes.removeAll(keepingCapacity: bytes.capacity <= ByteQueues.retainedCapacity)
                sent = 0
            } else if sent >= 64 * 1024, sent * 2 >= bytes.count {
                bytes.removeFirst(sent)
                sent = 0
            }
        }
        return result
    }
}
