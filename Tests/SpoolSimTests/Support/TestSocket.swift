import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A failed socket call in a test helper, with errno.
struct TestSocketError: Error, CustomStringConvertible {
    let description: String
    static func system(_ call: String) -> TestSocketError {
        TestSocketError(description: "\(call) failed: \(String(cString: strerror(errno))) (errno \(errno))")
    }
}

/// Blocking socket helpers for the tests' own HTTP client and webhook receiver. Every read has a timeout
/// (`SO_RCVTIMEO`), so that a test fails instead of hanging.
enum TestSocket {
    /// A TCP connection to 127.0.0.1:`port`.
    static func connect(port: Int, timeout: Double = 10) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestSocketError.system("socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            close(fd)
            throw TestSocketError.system("connect")
        }
        setTimeout(fd, timeout)
        return fd
    }

    static func setTimeout(_ fd: Int32, _ seconds: Double) {
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { throw TestSocketError.system("send") }
            offset += written
        }
    }

    /// Up to `limit` bytes; empty at end of stream.
    static func read(_ fd: Int32, limit: Int = 65536) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: limit)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard count >= 0 else { throw TestSocketError.system("recv") }
        return Array(buffer[..<count])
    }

    /// Runs blocking work on a thread of its own, off the Swift concurrency pool (which the server under test
    /// needs for its own handlers) and off Dispatch's global queues (whose few threads parallel tests would
    /// exhaust while they wait on sockets).
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
        }
    }
}

/// Reads an HTTP/1.1 message from a socket, buffering what arrives.
struct MessageReader {
    let fd: Int32
    var buffer: [UInt8] = []

    init(fd: Int32) { self.fd = fd }

    /// The header section (start line and fields) up to the blank line, as text lines.
    mutating func readHead() throws -> [String] {
        while true {
            if let end = buffer.firstRange(of: [13, 10, 13, 10]) {
                let head = String(decoding: buffer[..<end.lowerBound], as: UTF8.self)
                buffer.removeSubrange(..<end.upperBound)
                return head.components(separatedBy: "\r\n")
            }
            let more = try TestSocket.read(fd)
            guard !more.isEmpty else { throw TestSocketError(description: "connection closed inside the header section") }
            buffer += more
        }
    }

    mutating func readExactly(_ count: Int) throws -> [UInt8] {
        while buffer.count < count {
            let more = try TestSocket.read(fd)
            guard !more.isEmpty else { throw TestSocketError(description: "connection closed inside a body") }
            buffer += more
        }
        defer { buffer.removeSubrange(..<count) }
        return Array(buffer[..<count])
    }

    mutating func readLine() throws -> String {
        while true {
            if let end = buffer.firstRange(of: [13, 10]) {
                let line = String(decoding: buffer[..<end.lowerBound], as: UTF8.self)
                buffer.removeSubrange(..<end.upperBound)
                return line
            }
            let more = try TestSocket.read(fd)
            guard !more.isEmpty else { throw TestSocketError(description: "connection closed inside a line") }
            buffer += more
        }
    }

    /// One chunk of a chunked body; empty for the last chunk.
    mutating func readChunk() throws -> [UInt8] {
        let sizeLine = try readLine()
        guard let size = Int(sizeLine.split(separator: ";")[0], radix: 16) else {
            throw TestSocketError(description: "bad chunk size line \(sizeLine)")
        }
        let data = try readExactly(size)
        _ = try readLine()
        return data
    }
}
