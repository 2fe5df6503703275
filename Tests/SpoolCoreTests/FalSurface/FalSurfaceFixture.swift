import SpoolFal
import SpoolJSON
import SpoolSim
import SpoolTestSupport
@testable import SpoolCore

/// A test gateway with the fal surface on, and requests to it as fal's clients send them (`Authorization: Key`).
struct FalSurfaceFixture: Sendable {
    let spool: TestGateway
    let surfaceURL: String

    static let endpoint = "fal-ai/kling-video/o3/pro/reference-to-video"
    /// An input with fal's field names, as fal's clients send it.
    static let falInput: JSONValue = [
        "prompt": "A paper boat drifts across @Image1", "image_urls": ["https://example.com/pond.png"],
        "duration": "5", "aspect_ratio": "16:9",
    ]

    /// `directory`, when given, holds the database: a fixture started again on it is the same gateway restarted.
    static func start(
        directory: TemporaryDirectory? = nil,
        configure: (inout SpoolConfiguration) -> Void = { _ in },
        simulate: (inout SimulatorConfiguration) -> Void = { _ in }
    ) async throws -> FalSurfaceFixture {
        let spool = try await TestGateway.start(
            directory: directory,
            configure: { configuration in
                configuration.falSurface.listen = "127.0.0.1:0"
                configure(&configuration)
            }, simulate: simulate)
        return FalSurfaceFixture(spool: spool, surfaceURL: "http://127.0.0.1:\(spool.gateway.falPort!)")
    }

    func stop() async { await spool.stop() }

    func request(
        _ method: HTTPClientRequest.Method, _ path: String, key: String?, json: JSONValue? = nil,
        headers: [(String, String)] = []
    ) async throws -> TestGateway.Response {
        var fields = headers
        if let key { fields.append(("Authorization", "Key \(key)")) }
        if json != nil { fields.append(("Content-Type", "application/json")) }
        let response = try await spool.client.execute(
            HTTPClientRequest(method: method, url: surfaceURL + path, headers: fields, body: json?.serialized()))
        return TestGateway.Response(status: response.status, headers: response.headers, body: response.body)
    }

    /// Submits the example input and returns fal's submit answer.
    func submit(key: String, query: String = "") async throws -> TestGateway.Response {
        try await request(.post, "/\(Self.endpoint)\(query)", key: key, json: Self.falInput)
    }

    /// Polls the status route (`path`, by default the example endpoint's with `logs=1`) until it says `COMPLETED`
    /// (at most `seconds`); returns every answer.
    func pollUntilCompleted(
        _ id: String, key: String, path: String? = nil, seconds: Double = 20
    ) async throws -> [TestGateway.Response] {
        var answers: [TestGateway.Response] = []
        do {
            try await eventually("job \(id) is COMPLETED at the fal surface", within: .seconds(seconds)) {
                let answer = try await request(.get, path ?? "/fal-ai/kling-video/requests/\(id)/status?logs=1", key: key)
                answers.append(answer)
                return answer.json["status"]?.stringValue == "COMPLETED" || answer.status >= 400
            }
        } catch is ConditionNotMet {}
        return answers
    }
}

/// Starts a `FalSurfaceFixture` as `FalSurfaceFixture.start` does, runs `body` with it, and stops it before
/// returning, also when `body` throws.
@discardableResult
func withFalSurface<T>(
    directory: TemporaryDirectory? = nil,
    configure: (inout SpoolConfiguration) -> Void = { _ in },
    simulate: (inout SimulatorConfiguration) -> Void = { _ in },
    _ body: (FalSurfaceFixture) async throws -> T
) async throws -> T {
    let fixture = try await FalSurfaceFixture.start(directory: directory, configure: configure, simulate: simulate)
    return try await withCleanup { try await body(fixture) } cleanup: { await fixture.stop() }
}
