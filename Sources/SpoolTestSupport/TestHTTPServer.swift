import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A request as the test server read it.
package struct TestRequest: Sendable {
    package var method: String
    package var target: String
    package var headers: [(String, String)]
    package var body: [UInt8]

    package func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}

/// What the test server does with one request.
package enum TestReply: Sendable {
    /// A complete answer with a `Content-Length`; the connection stays open for the next request.
    case respond(status: Int, headers: [(String, String)] = [], body: [UInt8] = [])
    /// A body with neither length nor chunking, ended by closing the connection.
    case closeDelimited(body: [UInt8])
    /// Closes the connection without a byte of answer.
    case closeWithoutAnswer
    /// Says nothing and waits for the client to give up and close the connection.
    case holdUntilClientCloses
    /// A chunked answer: `first`, then (once `gate` opens) `rest`, then the end.
    case chunked(first: [UInt8], gate: TestGate, rest: [[UInt8]])
    /// A chunked answer that sends `first` and then waits for the client to close the connection.
    case chunkedThenHold(first: [UInt8])
}

/// A one-shot signal from a test to a server thread.
package final class TestGate: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    package init() {}
    package func open() { semaphore.signal() }
    package func wait() -> Bool { semaphore.wait(timeout: .now() + 10) == .success }
}

/// A small blocking HTTP/1.1 server on 127.0.0.1 (an ephemeral port) with one thread per connection: it records
/// every request and answers each as its handler says. For testing clients: fal's, webhook senders.
package final class TestHTTPServer: Sendable {
    package struct Counters: Sendable {
        package var connectionsAccepted = 0
        package var requestsReceived = 0
        package var closedByClientWhileHeld = 0
        var openDescriptors: Set<Int32> = []
    }

    package let port: Int
    package let counters = Mutex(Counters())
    private let received = Mutex<[TestRequest]>([])
    private let listener: Int32
    private let threads = DispatchGroup()

    package init(handler: @escaping @Sendable (TestRequest) -> TestReply) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard listener >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        var one: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 && listen(listener, 4096) == 0
                    && getsockname(listener, pointer, &length) == 0
            }
        }
        guard bound else {
            close(listener)
            throw POSIXError(.init(rawValue: errno) ?? .EIO)
        }
        self.listener = listener
        port = Int(UInt16(bigEndian: address.sin_port))
        threads.enter()
        Thread.detachNewThread { [self] in
            acceptLoop(handler)
            threads.leave()
        }
    }

    /// Every request received so far, in order.
    package var requests: [TestRequest] { received.withLock { $0 } }

    package var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Stops accepting, drops every open connection and waits for the server's threads to end.
    package func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        counters.withLock { for fd in $0.openDescriptors { shutdown(fd, Int32(SHUT_RDWR)) } }
        _ = threads.wait(timeout: .now() + 10)
        close(listener)
    }

    private func acceptLoop(_ handler: @escaping @Sendable (TestRequest) -> TestReply) {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                return
            }
            // Close-on-exec, so a program another test starts cannot keep this connection open after we close it.
            _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
            counters.withLock {
                $0.connectionsAccepted += 1
                $0.openDescriptors.insert(connection)
            }
            threads.enter()
            Thread.detachNewThread { [self] in
                serve(connection, handler)
                counters.withLock { _ = $0.openDescriptors.remove(connection) }
                close(connection)
                threads.leave()
            }
        }
    }

    private func serve(_ connection: Int32, _ handler: @Sendable (TestRequest) -> TestReply) {
        var buffer: [UInt8] = []
        while let request = readRequest(connection, &buffer) {
            counters.withLock { $0.requestsReceived += 1 }
            received.withLock { $0.append(request) }
            switch handler(request) {
            case .respond(let status, let headers, let body):
                let head = headers + [("Content-Length", "\(body.count)")]
                guard send(connection, Self.head(status, head) + body) else { return }
            case .closeDelimited(let body):
                _ = send(connection, Self.head(200, [("Connection", "close")]) + body)
                return
            case .closeWithoutAnswer:
                return
            case .holdUntilClientCloses:
                return holdUntilClientCloses(connection)
            case .chunked(let first, let gate, let rest):
                guard send(connection, Self.head(200, [("Transfer-Encoding", "chunked")]) + Self.chunk(first)),
                    gate.wait()
                else { return }
                guard send(connection, rest.flatMap(Self.chunk) + Array("0\r\n\r\n".utf8)) else { return }
            case .chunkedThenHold(let first):
                guard send(connection, Self.head(200, [("Transfer-Encoding", "chunked")]) + Self.chunk(first))
                else { return }
                return holdUntilClientCloses(connection)
            }
        }
    }

    private func holdUntilClientCloses(_ connection: Int32) {
        var byte: UInt8 = 0
        while recv(connection, &byte, 1, 0) > 0 {}
        counters.withLock { $0.closedByClientWhileHeld += 1 }
    }

    /// Reads one request (head, then a `Content-Length` body); nil when the connection ends first.
    private func readRequest(_ connection: Int32, _ buffer: inout [UInt8]) -> TestRequest? {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        while true {
            if headEnd == nil, let range = buffer.firstRange(of: separator) { headEnd = range.upperBound }
            if let headEnd {
                let lines = String(decoding: buffer[..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
                let requestLine = lines[0].split(separator: " ").map(String.init)
                guard requestLine.count == 3 else { return nil }
                let headers = lines.dropFirst().compactMap { line -> (String, String)? in
                    guard let colon = line.firstIndex(of: ":") else { return nil }
                    return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
                }
                let length = Int(headers.first { $0.0.lowercased() == "content-length" }?.1 ?? "0") ?? 0
                if buffer.count >= headEnd + length {
                    let body = Array(buffer[headEnd..<(headEnd + length)])
                    buffer.removeFirst(headEnd + length)
                    return TestRequest(method: requestLine[0], target: requestLine[1], headers: headers, body: body)
                }
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = recv(connection, &chunk, chunk.count, 0)
            guard count > 0 else { return nil }
            buffer.append(contentsOf: chunk[..<count])
        }
    }

    private func send(_ connection: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes {
                Glibc.send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }

    private static func head(_ status: Int, _ headers: [(String, String)]) -> [UInt8] {
        let lines = ["HTTP/1.1 \(status) Test"] + headers.map { "\($0.0): \($0.1)" }
        return Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8)
    }

    private static func chunk(_ bytes: [UInt8]) -> [UInt8] {
        Array((String(bytes.count, radix: 16) + "\r\n").utf8) + bytes + Array("\r\n".utf8)
    }
}


extension TestHTTPServer {
    /// A server that answers each request with the next status of `statuses` and an empty body, then 200 once
    /// they are used up: a webhook receiver that fails on cue.
    package convenience init(answering statuses: [Int]) throws {
        let script = StatusScript(statuses)
        try self.init { _ in .respond(status: script.next()) }
    }
}

/// The statuses a scripted server answers with, in order; 200 once they are used up.
private final class StatusScript: Sendable {
    private let remaining: Mutex<[Int]>
    init(_ statuses: [Int]) { remaining = Mutex(statuses) }
    func next() -> Int { remaining.withLock { $0.isEmpty ? 200 : $0.removeFirst() } }
}
