import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A webhook receiver for the tests: listens on 127.0.0.1 (ephemeral port), records every POST it gets and
/// answers each with the next status of a script (200 once the script is used up).
final class WebhookReceiver: Sendable {
    struct Received: Sendable {
        let target: String
        let headers: [String: String]
        let body: [UInt8]
    }

    let port: Int
    private let listener: Int32
    private let script: Mutex<[Int]>
    private let received = Mutex<[Received]>([])
    private let done = DispatchSemaphore(value: 0)

    init(answering statuses: [Int] = []) throws {
        script = Mutex(statuses)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestSocketError.system("socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw TestSocketError.system("bind/listen")
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in serve() }
    }

    var url: String { "http://127.0.0.1:\(port)/hook" }

    var requests: [Received] { received.withLock { $0 } }

    /// Stops listening and waits for the accept loop to end.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        done.wait()
        close(listener)
    }

    private func serve() {
        defer { done.signal() }
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else {
                if errno == EINTR { continue }
                return
            }
            _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
            TestSocket.setTimeout(connection, 5)
            handle(connection)
            close(connection)
        }
    }

    private func handle(_ fd: Int32) {
        var reader = MessageReader(fd: fd)
        guard let lines = try? reader.readHead() else { return }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = headers["content-length"].flatMap(Int.init) ?? 0
        guard let body = try? reader.readExactly(length) else { return }
        let target = lines[0].split(separator: " ").dropFirst().first.map(String.init) ?? ""
        received.withLock { $0.append(Received(target: target, headers: headers, body: body)) }
        let status = script.withLock { $0.isEmpty ? 200 : $0.removeFirst() }
        let answer = "HTTP/1.1 \(status) Scripted\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        try? TestSocket.writeAll(fd, Array(answer.utf8))
    }
}
