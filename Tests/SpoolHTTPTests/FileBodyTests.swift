import Foundation
import SpoolTestSupport
import Testing
@testable import SpoolHTTP

@Suite("File bodies")
struct FileBodyTests {
    /// A file of `count` bytes of a known pattern in a fresh folder; its path.
    private static func makeFile(_ count: Int) throws -> (path: String, bytes: [UInt8]) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("spool-file-body-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
        let path = folder.appendingPathComponent("data.bin").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return (path, bytes)
    }

    private static func router(_ path: String) -> Router {
        var router = Router()
        router.get("/file", .immediate { request in
            let file = try HTTPFile(path: path)
            let first = Int64(request.queryValue("from") ?? "0") ?? 0
            let length = Int64(request.queryValue("length") ?? "") ?? file.size - first
            return HTTPResponse(headers: ["Content-Type": "application/octet-stream"], body: .file(file, offset: first, length: length))
        })
        router.get("/hello", .immediate { _ in HTTPResponse.text("hello") })
        return router
    }

    @Test("a file body arrives whole with Content-Length, a slice as asked, and pipelined requests behind it are answered in order")
    func wholeSliceAndPipelining() async throws {
        let (path, bytes) = try Self.makeFile(5 * 1024 * 1024 + 123)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        try await withServer(Self.router(path)) { server in
            let client = try RawClient.connect(port: server.port)
            try await client.send(
                "GET /file HTTP/1.1\r\nHost: t\r\n\r\nGET /file?from=100&length=1000 HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "HEAD /file HTTP/1.1\r\nHost: t\r\n\r\nGET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            let whole = try await client.readResponse(timeout: 20)
            #expect(whole.status == 200)
            #expect(whole.header("Content-Length") == String(bytes.count))
            #expect(whole.body == bytes)
            let slice = try await client.readResponse()
            #expect(slice.body == Array(bytes[100..<1100]))
            let head = try await client.readResponse(forHead: true)
            #expect(head.header("Content-Length") == String(bytes.count))
            #expect(head.body.isEmpty)
            #expect(try await client.readResponse().text == "hello")
        }
    }

    @Test("a reader that does not read holds the file open, not its bytes: the response waits for the socket")
    func slowReaderIsBackpressured() async throws {
        let (path, bytes) = try Self.makeFile(64 * 1024 * 1024)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let records = Collected<HTTPRequestRecord>()
        try await withServer(Self.router(path), observer: { records.append($0) }) { server in
            let client = try RawClient.connect(port: server.port)
            try await client.send("GET /file HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            let head = try await client.readHead()
            #expect(head.header("Content-Length") == String(bytes.count))
            // The socket's buffers hold a few MB at most: while this client reads nothing past the head, the
            // response cannot have ended, so the rest of the 64 MB is still in the file, not in the server.
            #expect(records.count == 0)
            let rest = try await client.readToEnd(timeout: 30)
            #expect(rest == bytes)
            try await eventually("the request is recorded") { records.count == 1 }
            #expect((records.all.first?.bytesSent ?? 0) >= bytes.count)
        }
    }
}
