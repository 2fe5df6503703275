import SpoolFal
import SpoolHTTP
import SpoolTestSupport
import Synchronization

/// A real HTTP server between the gateway and the emulator that passes fal's queue calls through and answers the
/// first `plainFailures` result fetches with a plain `500 Internal Server Error` (a JSON `detail`, no fal error
/// headers): the answer after COMPLETED that once failed a paid run. The emulator puts this proxy's address in
/// the URLs it returns (`publicBaseURL`), so every call of a job goes through it.
final class ResultFaultProxy: Sendable {
    /// What the handlers share: where to pass calls, and how many result fetches still fail.
    private final class Relay: Sendable {
        let client = HTTPClient(configuration: HTTPClientConfiguration(totalTimeout: .seconds(30)))
        let upstream = Mutex<String?>(nil)
        let remaining: Mutex<Int>
        let failed = Mutex(0)

        init(plainFailures: Int) { remaining = Mutex(plainFailures) }

        func pass(_ request: HTTPRequest) async throws -> HTTPResponse {
            let base = upstream.withLock { $0 } ?? ""
            let method = HTTPClientRequest.Method(rawValue: request.method.rawValue) ?? .get
            let headers = request.headers.fields.filter { ["authorization", "content-type"].contains($0.name.lowercased()) }
            let answer = try await client.execute(HTTPClientRequest(
                method: method, url: base + request.target, headers: headers.map { ($0.name, $0.value) },
                body: request.body.isEmpty ? nil : request.body))
            var fields = HTTPHeaders()
            for (name, value) in answer.headers.fields
            where name.lowercased() == "content-type" || name.lowercased().hasPrefix("x-fal-") {
                fields.add(name, value)
            }
            return HTTPResponse(status: HTTPStatus(code: answer.status), headers: fields, body: .bytes(answer.body))
        }

        func result(_ request: HTTPRequest) async throws -> HTTPResponse {
            let fail = remaining.withLock { count in
                defer { count = max(0, count - 1) }
                return count > 0
            }
            guard fail else { return try await pass(request) }
            failed.withLock { $0 += 1 }
            return HTTPResponse(
                status: .internalServerError, headers: ["Content-Type": "application/json"],
                body: .bytes(Array(#"{"detail":"Internal Server Error"}"#.utf8)))
        }
    }

    private let server: HTTPServer
    private let relay: Relay

    /// `endpoint` is the model's fal endpoint (`owner/app/…`), whose submit path the proxy serves.
    init(endpoint: String, plainFailures: Int) {
        let relay = Relay(plainFailures: plainFailures)
        let app = endpoint.split(separator: "/").prefix(2).joined(separator: "/")
        var router = Router()
        router.post("/" + endpoint, .async { try await relay.pass($0) })
        router.get("/\(app)/requests/{id}/status", .async { try await relay.pass($0) })
        router.get("/\(app)/requests/{id}", .async { try await relay.result($0) })
        router.put("/\(app)/requests/{id}/cancel", .async { try await relay.pass($0) })
        var configuration = HTTPServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.eventLoopCount = 1
        self.relay = relay
        self.server = HTTPServer(configuration: configuration, router: router, logger: quietLogger("proxy"))
    }

    /// Result fetches answered 500 so far.
    var failedResults: Int { relay.failed.withLock { $0 } }

    /// Starts serving; returns the proxy's base URL.
    func start() throws -> String {
        try server.start()
        return "http://127.0.0.1:\(server.port)"
    }

    /// Sets the emulator that calls are passed to.
    func pass(to baseURL: String) { relay.upstream.withLock { $0 = baseURL } }

    func stop() async {
        await server.shutdown()
        relay.client.shutdown()
    }
}
