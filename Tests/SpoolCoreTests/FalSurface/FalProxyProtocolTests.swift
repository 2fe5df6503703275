import SpoolFal
import SpoolHTTP
import SpoolJSON
import SpoolTestSupport
import Testing
@testable import SpoolCore

/// The requests `@fal-ai/client` sends through a proxy (`proxyUrl`): the proxy URL with the method and body of
/// the call and `x-fal-target-url: <the fal URL it meant>`, `Authorization: Key …`, `Accept` and
/// `Content-Type: application/json`, and `x-fal-queue-priority: normal` on submit.
@Suite("fal surface: the JavaScript client's proxy protocol")
struct FalProxyProtocolTests {
    private static let proxyPath = "/api/fal/proxy"

    private func proxied(
        _ fixture: FalSurfaceFixture, _ method: HTTPClientRequest.Method, target: String, key: String,
        json: JSONValue? = nil, extra: [(String, String)] = []
    ) async throws -> TestGateway.Response {
        try await fixture.request(
            method, Self.proxyPath, key: key, json: json,
            headers: [("x-fal-target-url", target), ("Accept", "application/json")] + extra)
    }

    @Test("submit, status with logs=0/1, result (request id from x-fal-request-id) and cancel through the proxy")
    func queueSequence() async throws {
        try await withFalSurface { fixture in
            let key = try await fixture.spool.key(team: "marketing")
            let submitted = try await proxied(
                fixture, .post, target: "https://queue.fal.run/\(FalSurfaceFixture.endpoint)", key: key,
                json: FalSurfaceFixture.falInput, extra: [("x-fal-queue-priority", "normal")])
            #expect(submitted.status == 200, "\(submitted.text)")
            let id = try #require(submitted.json["request_id"]?.stringValue)
            #expect(submitted.json["status_url"]?.stringValue == "https://queue.fal.run/fal-ai/kling-video/requests/\(id)/status")

            let statusTarget = "https://queue.fal.run/fal-ai/kling-video/requests/\(id)/status"
            let quiet = try await proxied(fixture, .get, target: statusTarget + "?logs=0", key: key)
            #expect([200, 202].contains(quiet.status))
            #expect(quiet.json["logs"] == .null)
            let last = try await lastRead(within: .seconds(20), {
                try await proxied(fixture, .get, target: statusTarget + "?logs=1", key: key)
            }, until: { $0.json["status"]?.stringValue == "COMPLETED" })
            #expect(last.status == 200 && last.json["status"]?.stringValue == "COMPLETED", "\(last.text)")
            #expect(last.json["logs"]?.arrayValue != nil)

            let result = try await proxied(fixture, .get, target: "https://queue.fal.run/fal-ai/kling-video/requests/\(id)", key: key)
            #expect(result.status == 200)
            #expect(result.headers["x-fal-request-id"] == id)
            #expect(result.headers["Access-Control-Expose-Headers"]?.lowercased().contains("x-fal-request-id") == true)
            #expect(result.json["video"] != nil)

            let cancel = try await proxied(fixture, .put, target: "https://queue.fal.run/fal-ai/kling-video/requests/\(id)/cancel", key: key)
            #expect(cancel.status == 400 && cancel.json["status"]?.stringValue == "ALREADY_COMPLETED")
        }
    }

    @Test("x-fal-* headers sent through the proxy mean what they mean on the queue: a deadline, a runner hint for fal")
    func headersThroughProxy() async throws {
        try await withFalSurface { fixture in
            let key = try await fixture.spool.key(team: "marketing")
            let submitted = try await proxied(
                fixture, .post, target: "https://queue.fal.run/\(FalSurfaceFixture.endpoint)", key: key,
                json: FalSurfaceFixture.falInput,
                extra: [("x-fal-queue-priority", "normal"), ("x-fal-request-timeout", "90"), ("x-fal-runner-hint", "warm-1")])
            let id = try #require(submitted.json["request_id"]?.stringValue, "\(submitted.text)")
            #expect(try await fixture.spool.request(.get, "/v1/jobs/\(id)", key: key).json["deadline_at"]?.stringValue != nil)
            _ = try await fixture.spool.waitUntilTerminal(id, key: key)
            let sent = try #require(fixture.spool.simulator.requestLog().first { $0.method == "POST" })
            #expect(sent.headers["X-Fal-Runner-Hint"] == "warm-1")
            #expect(sent.headers["X-Fal-Request-Timeout"] != nil)
        }
    }

    @Test("a target on fal's run host waits and answers the output")
    func runTarget() async throws {
        try await withFalSurface { fixture in
            let key = try await fixture.spool.key(team: "marketing")
            let answer = try await proxied(
                fixture, .post, target: "https://fal.run/\(FalSurfaceFixture.endpoint)", key: key, json: FalSurfaceFixture.falInput)
            #expect(answer.status == 200, "\(answer.text)")
            #expect(answer.json["video"] != nil)
            #expect(answer.headers["x-fal-request-id"]?.hasPrefix("job_") == true)
        }
    }

    @Test("any other target is refused and nothing is forwarded; storage uploads are refused with what to do instead")
    func foreignTargets() async throws {
        try await withFalSurface { fixture in
            let key = try await fixture.spool.key(team: "marketing")
            let foreign = try await proxied(fixture, .get, target: "https://example.com/steal", key: key)
            #expect(foreign.status == 403)
            #expect(foreign.json["detail"]?.stringValue?.contains("example.com") == true)
            let lookalike = try await proxied(fixture, .get, target: "https://queue.fal.run.example.com/x/requests/y", key: key)
            #expect(lookalike.status == 403)
            let upload = try await proxied(
                fixture, .post, target: "https://rest.fal.ai/storage/upload/initiate?storage_type=fal-cdn-v3", key: key,
                json: ["content_type": "image/png", "file_name": "a.png"])
            #expect(upload.status == 501)
            #expect(upload.json["detail"]?.stringValue?.contains("URL") == true)
            #expect(fixture.spool.simulator.requestLog().isEmpty)
        }
    }

    @Test("a CORS preflight allows authorization, content-type and x-fal-* headers")
    func preflight() {
        let request = HTTPRequest(
            method: .options, target: Self.proxyPath,
            headers: ["Origin": "https://app.example", "Access-Control-Request-Method": "POST",
                      "Access-Control-Request-Headers": "authorization, content-type, x-fal-target-url, x-fal-queue-priority, cookie"])
        let response = FalCORS.preflight(request)
        #expect(response.status.code == 204)
        #expect(response.headers["Access-Control-Allow-Origin"] == "https://app.example")
        #expect(response.headers["Access-Control-Allow-Headers"]
            == "authorization, content-type, x-fal-target-url, x-fal-queue-priority")
        #expect(response.headers["Access-Control-Allow-Methods"]?.contains("PUT") == true)
        #expect(response.headers["Access-Control-Expose-Headers"] == "x-fal-request-id")
    }
}
