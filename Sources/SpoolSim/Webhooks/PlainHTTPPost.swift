#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a webhook POST failed before an HTTP status came back: the call that failed and its errno, or what
/// was wrong with the URL or the answer.
struct PlainHTTPError: Error, Sendable, CustomStringConvertible {
    let description: String

    static func system(_ call: String, _ code: Int32 = errno) -> PlainHTTPError {
        PlainHTTPError(description: "\(call) failed: \(String(cString: strerror(code))) (errno \(code))")
    }
}

/// A minimal blocking HTTP/1.1 POST over a plain TCP socket, for webhooks to local receivers: `http://` only
/// (no TLS), one request per connection (`Connection: close`), every step bounded by one deadline.
/// Blocking: call it off any event loop and off the Swift concurrency pool (a Dispatch queue).
enum PlainHTTPPost {
    /// Sends `body` to `url` and returns the answer's status code.
    static func post(url: String, headers: [(String, String)], body: [UInt8], timeout: Double) throws -> Int {
        let target = try Target(url)
        let deadline = monotonicNow() + timeout
        let socket = try openConnection(to: target, deadline: deadline)
        defer { close(socket) }
        var head = "POST \(target.pathAndQuery) HTTP/1.1\r\nHost: \(target.hostHeader)\r\n"
        head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\nConnection: close\r\n"
        head += "User-Agent: spool-sim\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        try writeAll(socket, Array(head.utf8) + body, deadline: deadline)
        return try readStatus(socket, deadline: deadline)
    }

    /// Seconds on the monotonic clock, for deadlines.
    private static func monotonicNow() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
    }

    /// The parts of an `http://host[:port]/path?query` URL.
    struct Target {
        let host: String
        let port: String
        let hostHeader: String
        let pathAndQuery: String

        init(_ url: String) throws {
            guard url.hasPrefix("http://") else {
                throw PlainHTTPError(description: "only http:// webhook URLs are supported, not \(url)")
            }
            let rest = url.dropFirst("http://".count)
            let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            let path = rest.dropFirst(authority.count).prefix { $0 != "#" }
            pathAndQuery = path.isEmpty ? "/" : (path.hasPrefix("?") ? "/" + path : String(path))
            hostHeader = String(authority)
            if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
                host = String(authority[authority.index(after: authority.startIndex)..<close])
                let after = authority[authority.index(after: close)...]
                port = after.hasPrefix(":") ? String(after.dropFirst()) : "80"
            } else if let colon = authority.lastIndex(of: ":") {
                host = String(authority[..<colon])
                port = String(authority[authority.index(after: colon)...])
            } else {
                host = String(authority)
                port = "80"
            }
            guard !host.isEmpty, !port.isEmpty, port.allSatisfy(\.isNumber) else {
                throw PlainHTTPError(description: "malformed webhook URL \(url)")
            }
        }
    }

    private static func openConnection(to target: Target, deadline: Double) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(target.host, target.port, &hints, &list)
        guard status == 0, let first = list else {
            throw PlainHTTPError(description: "getaddrinfo(\(target.host)) failed: \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        let fd = socket(first.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw PlainHTTPError.system("socket") }
        do {
            let flags = fcntl(fd, F_GETFL)
            _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
            if connect(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) != 0 {
                guard errno == EINPROGRESS else { throw PlainHTTPError.system("connect") }
                try wait(fd, for: Int16(POLLOUT), deadline: deadline, call: "connect")
                var error: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
                guard error == 0 else { throw PlainHTTPError.system("connect", error) }
            }
            return fd
        } catch {
            close(fd)
            throw error
        }
    }

    /// Waits until `fd` is ready for `events` or the deadline passes.
    private static func wait(_ fd: Int32, for events: Int16, deadline: Double, call: String) throws {
        while true {
            let remaining = deadline - monotonicNow()
            guard remaining > 0 else { throw PlainHTTPError(description: "\(call) timed out") }
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&entry, 1, Int32(min(remaining * 1000, 60_000)) + 1)
            if ready > 0 { return }
            if ready < 0, errno != EINTR { throw PlainHTTPError.system("poll") }
        }
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], deadline: Double) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written > 0 {
                offset += written
            } else if written < 0, errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                try wait(fd, for: Int16(POLLOUT), deadline: deadline, call: "send")
            } else {
                throw PlainHTTPError.system("send")
            }
        }
    }

    /// Reads until the status line is complete and returns its code. The rest of the answer is not needed:
    /// closing the socket right after is what `Connection: close` announced.
    private static func readStatus(_ fd: Int32, deadline: Double) throws -> Int {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !received.contains(UInt8(ascii: "\n")) {
            guard received.count < 8192 else { throw PlainHTTPError(description: "status line too long") }
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                received += buffer[..<count]
            } else if count == 0 {
                throw PlainHTTPError(description: "connection closed before an HTTP status line")
            } else if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                try wait(fd, for: Int16(POLLIN), deadline: deadline, call: "recv")
            } else {
                throw PlainHTTPError.system("recv")
            }
        }
        let line = String(decoding: received.prefix { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        let parts = line.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let code = Int(parts[1]), (100...599).contains(code) else {
            throw PlainHTTPError(description: "not an HTTP status line: \(line.prefix(80))")
        }
        return code
    }
}
