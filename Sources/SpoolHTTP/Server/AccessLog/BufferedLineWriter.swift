import CLinux
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Whole log lines gathered in memory and written to a file descriptor by a thread of its own, so that the
/// threads producing them (event loops above all) never wait on the descriptor.
///
/// `append` copies a line into the pending buffer under a lock and returns. The writer's thread, started by the
/// first `append`, writes what is pending at least every 100 ms, and sooner once 64 KB are pending. `flush()`
/// writes everything appended before it, on the caller's thread; `writeNow` appends and flushes, which is how
/// rare lines (warnings, start and stop notices) keep their order with the buffered ones. Flushes are serialised,
/// so lines reach the descriptor in the order they were appended. Past 4 MB pending (the descriptor is stuck),
/// `append` flushes on the caller's thread rather than growing without bound.
package final class BufferedLineWriter: Sendable {
    private struct Pending {
        var bytes: [UInt8] = []
        /// A flushed buffer handed back so its capacity is reused.
        var spare: [UInt8] = []
        var flusherStarted = false
    }

    private let descriptor: Int32
    private let pending = Mutex(Pending())
    /// Held for a whole flush, so that two flushes never interleave their writes.
    private let flushing = Mutex(())
    /// Wakes the writer's thread before its 100 ms are up.
    private let wakeFD: Int32

    /// How long lines may wait before the writer's thread writes them.
    package static let flushIntervalMilliseconds: Int32 = 100
    private static let wakeThreshold = 64 * 1024
    private static let inlineThreshold = 4 * 1024 * 1024

    /// Standard error, shared by the access log and `SpoolLogHandler`. Flushed when the process exits normally
    /// (`exit`, or returning from `main`), so a command's last lines are never left in memory.
    package static let standardError: BufferedLineWriter = {
        let writer = BufferedLineWriter(descriptor: 2)
        atexit { BufferedLineWriter.standardError.flush() }
        return writer
    }()

    /// A writer to `descriptor`, which stays the caller's to close (after a last `flush()`).
    package init(descriptor: Int32) {
        self.descriptor = descriptor
        wakeFD = eventfd(0, LinuxConstants.nonBlocking | LinuxConstants.closeOnExec)
    }

    deinit {
        close(wakeFD)
    }

    /// Queues `line` (which ends with its newline) for the writer's thread.
    package func append(_ line: [UInt8]) {
        let (size, startFlusher) = pending.withLock { pending in
            pending.bytes.append(contentsOf: line)
            let start = !pending.flusherStarted
            pending.flusherStarted = true
            return (pending.bytes.count, start)
        }
        if startFlusher { startFlusherThread() }
        if size >= Self.inlineThreshold {
            flush()
        } else if size >= Self.wakeThreshold, size - line.count < Self.wakeThreshold {
            var one: UInt64 = 1
            _ = write(wakeFD, &one, 8)
        }
    }

    /// Appends `line` and writes everything pending before returning.
    package func writeNow(_ line: [UInt8]) {
        pending.withLock { $0.bytes.append(contentsOf: line) }
        flush()
    }

    /// Writes every line appended so far.
    package func flush() {
        flushing.withLock { _ in
            var batch = pending.withLock { pending in
                var taken = pending.spare
                swap(&taken, &pending.bytes)
                pending.spare = []
                return taken
            }
            guard !batch.isEmpty else { return }
            writeAll(batch)
            batch.removeAll(keepingCapacity: true)
            pending.withLock { $0.spare = batch }
        }
    }

    private func writeAll(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0, errno == EINTR { continue }
                if written <= 0 { return }
                offset += written
            }
        }
    }

    private func startFlusherThread() {
        do {
            try LoopThread.start(name: "spool-log") { [weak self] in
                while let writer = self { writer.waitThenFlush() }
            }
        } catch {
            // Without the thread, lines are written as they come.
            pending.withLock { $0.flusherStarted = false }
            flush()
        }
    }

    /// One turn of the writer's thread, which runs as long as the writer exists: wait up to 100 ms (or until
    /// woken), then write what is pending.
    private func waitThenFlush() {
        var wake = pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)
        if poll(&wake, 1, Self.flushIntervalMilliseconds) > 0 {
            var count: UInt64 = 0
            _ = read(wakeFD, &count, 8)
        }
        flush()
    }
}
