import SpoolTestSupport
import Testing
@testable import SpoolHTTP

@Suite("Handlers that answer from memory when they can")
struct MemoryFirstHandlerTests {
    /// `/lookup/{key}`: keys starting with `hot` are answered from memory (`immediate`), `bad` throws, others
    /// go to the async closure.
    private func router() -> Router {
        var router = Router()
        router.get("/lookup/{key}", .memoryFirst({ request in
            let key = request.pathParameters["key"]!
            if key == "bad" { throw HTTPError(.notFound, code: "not_found", message: "no \(key)") }
            return key.hasPrefix("hot") ? HTTPResponse.text("memory \(key)") : nil
        }, otherwise: { request in
            await Task.yield()
            return HTTPResponse.text("task \(request.pathParameters["key"]!)")
        }))
        return router
    }

    @Test("an answer from memory is sent as is; nil runs the async closure; a thrown error is the response")
    func threeOutcomes() async throws {
        try await withServer(router()) { server in
            let client = try RawClient.connect(port: server.port)
            for (key, status, body) in [("hot-1", 200, "memory hot-1"), ("cold", 200, "task cold"), ("bad", 404, nil)] {
                try await client.send("GET /lookup/\(key) HTTP/1.1\r\nHost: t\r\n\r\n")
                let response = try await client.readResponse()
                #expect(response.status == status)
                if let body { #expect(String(decoding: response.body, as: UTF8.self) == body) }
            }
        }
    }
}
