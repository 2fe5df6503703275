#if canImport(Glibc)
import Glibc
#endif

/// Reads HTTP/1.1 responses from a socket, with a deadline, for `RawClient`.
struct WireReader {
    let fd: Int32
    var pending: [UInt8]
    let deadline: Double
    /// How the last read that ended the stream failed (`ECONNRESET`, or `EBADF` if something closed the
    /// descriptor under us), for the failure messages; nil after a plain end-of-file.
    private(set) var endError: Int32?

    /// Reads more bytes; returns false at end-of-file (or reset), throws when the deadline passes.
    mutating func fill() throws -> Bool {
        let remaining = deadline - RawClient.now()
        guard remaining > 0 else { throw TestFailure("timed out waiting for the server") }
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, Int32(remaining * 1000) + 1)
        guard ready > 0 else {
            if ready == 0 { throw TestFailure("timed out waiting for the server") }
            return try fill()
        }
        let count = withUnsafeTemporaryAllocation(byteCount: 65536, alignment: 16) { scratch -> Int in
            let count = read(fd, scratch.baseAddress, scratch.count)
            if count > 0 { pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[0..<count])) }
            return count
        }
        if count < 0 {
            if errno == EINTR || errno == EAGAIN { return try fill() }
            endError = errno
            return false
        }
        return count > 0
    }

    /// How the stream ended, for a failure message: empty after end-of-file, else the read's error.
    private var ending: String {
        guard let endError else { return " (end of file)" }
        return " (read failed: \(String(cString: strerror(endError))))"
    }

    /// One line without its CRLF.
    mutating func line() throws -> String {
        var searched = 0
        while true {
            let lf = pending.withUnsafeBytes { raw -> Int? in
                guard raw.count > searched, let found = memchr(raw.baseAddress! + searched, 0x0A, raw.count - searched)
                else { return nil }
                return UnsafeRawPointer(found) - raw.baseAddress!
            }
            if let lf {
                let end = lf > 0 && pending[lf - 1] == 0x0D ? lf - 1 : lf
                let content = String(decoding: pending[..<end], as: UTF8.self)
                pending.removeFirst(lf + 1)
                return content
            }
            searched = pending.count
            guard try fill() else { throw TestFailure("connection closed in the middle of a line\(ending)") }
        }
    }

    /// Exactly `count` bytes. Reads straight into the result, so a large body costs no repeated copying.
    mutating func bytes(_ count: Int) throws -> [UInt8] {
        var result = Array(pending.prefix(count))
        pending.removeFirst(result.count)
        while result.count < count {
            guard try fill() else { throw TestFailure("connection closed in the middle of a body\(ending)") }
            let taken = min(pending.count, count - result.count)
            result += pending[..<taken]
            pending.removeFirst(taken)
        }
        return result
    }

    mutating func head() throws -> RawResponse {
        let statusLine = try line()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            throw TestFailure("not a status line: \(statusLine)")
        }
        var headers: [(name: String, value: String)] = []
        while true {
            let field = try line()
            if field.isEmpty { break }
            guard let colon = field.firstIndex(of: ":") else { throw TestFailure("bad header line: \(field)") }
            let value = field[field.index(after: colon)...].drop { $0 == " " }
            headers.append((String(field[..<colon]), String(value)))
        }
        return RawResponse(status: status, headers: headers, body: [])
    }

    mutating func response(forHead: Bool) throws -> RawResponse {
        var response = try head()
        if forHead || response.status < 200 || response.status == 204 || response.status == 304 { return response }
        if response.header("Transfer-Encoding")?.lowercased() == "chunked" {
            while let chunk = try chunk() { response.body += chunk }
        } else if let length = response.header("Content-Length").flatMap({ Int($0) }) {
            response.body = try bytes(length)
        } else {
            response.body = try untilClose()
        }
        return response
    }

    mutating func chunk() throws -> [UInt8]? {
        let sizeLine = try line()
        guard let size = Int(sizeLine.prefix { $0 != ";" }, radix: 16) else {
            throw TestFailure("bad chunk size line: \(sizeLine)")
        }
        if size == 0 {
            while try !line().isEmpty {}
            return nil
        }
        let data = try bytes(size)
        guard try line().isEmpty else { throw TestFailure("chunk not followed by CRLF") }
        return data
    }

    mutating func untilClose() throws -> [UInt8] {
        while try fill() {}
        defer { pending = [] }
        return pending
    }
}
