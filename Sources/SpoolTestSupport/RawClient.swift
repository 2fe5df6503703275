import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A deliberately plain HTTP/1.1 client over a POSIX socket, so tests can send exactly the bytes they mean
/// (malformed, partial, pipelined) and see exactly what comes back.
///
/// Its blocking calls run on threads of their own, never on the Swift concurrency pool. One test uses one client
/// at a time; the buffer's mutex only makes that visible to the compiler.
package final class RawClient: Sendable {
    package let fd: Int32
    private let buffer = Mutex<[UInt8]>([])

    private init(fd: Int32) {
        self.fd = fd
    }

    /// Connects to 127.0.0.1:`port` (or IPv6 `::1` when `ipv6`); throws when the connection is refused.
    package static func connect(port: Int, ipv6: Bool = false) throws -> RawClient {
        let fd = socket(ipv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket: errno \(errno)") }
        var v4 = sockaddr_in()
        v4.sin_family = sa_family_t(AF_INET)
        v4.sin_port = in_port_t(UInt16(port).bigEndian)
        v4.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var v6 = sockaddr_in6()
        v6.sin6_family = sa_family_t(AF_INET6)
        v6.sin6_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET6, "::1", &v6.sin6_addr)
        let result = ipv6
            ? withUnsafePointer(to: &v6) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
            : withUnsafePointer(to: &v4) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        guard result == 0 else {
            let code = errno
            Glibc.close(fd)
            throw TestFailure("connect: errno \(code)")
        }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return RawClient(fd: fd)
    }

    deinit {
        Glibc.close(fd)
    }

    package func send(_ text: String) async throws {
        try await send(Array(text.utf8))
    }

    package func send(_ bytes: [UInt8]) async throws {
        let fd = fd
        try await offPool {
            var offset = 0
            while offset < bytes.count {
                let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
                guard sent > 0 else { throw TestFailure("send: errno \(errno)") }
                offset += sent
            }
        }
    }

    /// Shuts down the client's sending side (the server sees end-of-file), keeping the receiving side open.
    package func shutdownWrite() {
        shutdown(fd, Int32(SHUT_WR))
    }

    /// Reads one whole response. `forHead`: the response to a HEAD request, which has no body whatever it says.
    package func readResponse(timeout: Double = 5, forHead: Bool = false) async throws -> RawResponse {
        try await withReader(timeout: timeout) { reader in try reader.response(forHead: forHead) }
    }

    /// Reads a status line and header section only (for a streamed body read chunk by chunk afterwards).
    package func readHead(timeout: Double = 5) async throws -> RawResponse {
        try await withReader(timeout: timeout) { reader in try reader.head() }
    }

    /// Reads one chunk of a chunked body; nil for the last chunk (its trailers are read too).
    package func readChunk(timeout: Double = 5) async throws -> [UInt8]? {
        try await withReader(timeout: timeout) { reader in try reader.chunk() }
    }

    /// Reads until the server closes the connection; returns what came.
    package func readToEnd(timeout: Double = 5) async throws -> [UInt8] {
        try await withReader(timeout: timeout) { reader in try reader.untilClose() }
    }

    /// Reads raw bytes until `expected` status lines have arrived (or the deadline passes); returns how many came.
    /// For floods of small responses, where parsing each one would make the client the bottleneck.
    package func countStatusLines(_ expected: Int, timeout: Double = 20) async throws -> Int {
        try await withReader(timeout: timeout) { reader in
            let marker = Array("HTTP/1.1 ".utf8)
            var found = 0
            while found < expected {
                found += reader.pending.withUnsafeBytes { raw in
                    var count = 0, index = 0
                    while index + marker.count <= raw.count,
                        let hit = memchr(raw.baseAddress! + index, Int32(marker[0]), raw.count - index)
                    {
                        let start = UnsafeRawPointer(hit) - raw.baseAddress!
                        guard start + marker.count <= raw.count else { break }
                        if memcmp(hit, marker, marker.count) == 0 { count += 1 }
                        index = start + 1
                    }
                    return count
                }
                reader.pending = Array(reader.pending.suffix(marker.count - 1))
                guard found < expected, (try? reader.fill()) == true else { break }
            }
            return found
        }
    }

    /// Whether the server closes the connection (end-of-file or reset) within `timeout`; data is read and dropped.
    package func waitForClose(timeout: Double = 5) async -> Bool {
        (try? await withReader(timeout: timeout) { reader in
            _ = try reader.untilClose()
            return true
        }) ?? false
    }

    private func withReader<T: Sendable>(timeout: Double, _ body: @escaping @Sendable (inout WireReader) throws -> T) async throws -> T {
        let fd = fd
        return try await offPool {
            try self.buffer.withLock { (pending: inout [UInt8]) throws -> T in
                var reader = WireReader(fd: fd, pending: pending, deadline: RawClient.now() + timeout)
                defer { pending = reader.pending }
                return try body(&reader)
            }
        }
    }

    package static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
