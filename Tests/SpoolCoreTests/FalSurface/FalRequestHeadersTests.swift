import SpoolFal
import SpoolHTTP
import SpoolJSON
import SpoolTestSupport
import Testing
@testable import SpoolCore

/// fal's `X-Fal-*` request headers on the surface's submit: kept on the job and sent to fal (the emulator
/// records what it received), the deadline taken as `deadline_seconds`, bad values refused as fal refuses a field.
@Suite("fal surface: fal's request headers")
struct FalRequestHeadersTests {
    /// The headers of the emulator's first submit, once Spool has sent it.
    private func submitHeaders(_ fixture: FalSurfaceFixture) async throws -> HTTPHeaders {
        var headers: HTTPHeaders?
        try await eventually("Spool submits the job to the emulator", within: .seconds(20)) {
            headers = fixture.spool.simulator.requestLog().first { $0.method == "POST" }?.headers
            return headers != nil
        }
        return headers ?? HTTPHeaders()
    }

    @Test("no-retry, store-io, lifecycle preference and runner hint reach fal at submit")
    func passedOn() async throws {
        try await withFalSurface { fixture in
            let key = try await fixture.spool.key(team: "marketing")
            let answer = try await fixture.request(
                .post, "/\(FalSurfaceFixture.endpoint)", key: key, json: FalSurfaceFixture.falInput,
                headers: [("X-Fal-No-Retry", "1"), ("X-Fal-Store-IO", "0"),
                          ("X-Fal-Object-Lifecycle-Preference", #"{"expiration_duration_seconds": 600}"#),
                          ("X-Fal-Runner-Hint", "runner-7"), ("X-Fal-Queue-Priority", "normal")])
            #expect(answer.status == 200, "\(answer.text)")
            let sent = try await submitHeaders(fixture)
            #expect(sent["X-Fal-No-Retry"] == "1")
            #expect(sent["X-Fal-Store-IO"] == "0")
            #expect(sent["X-Fal-Object-Lifecycle-Preference"] == #"{"expiration_duration_seconds": 600}"#)
            #expect(sent["X-Fal-Runner-Hint"] == "runner-7")
            #expect(sent["X-Fal-Queue-Priority"] == nil)
        }
    }

    @Test("where the team's retention setting is stricter than the client's, the team's is sent")
    func teamStricter() async throws {
        try await withFalSurface(configure: {
            $0.teams.overrides["vault"] = .init(falOutputExpirySeconds: 300, falStoreIO: false)
        }) { fixture in
            let key = try await fixture.spool.key(team: "vault")
            let answer = try await fixture.request(
                .post, "/\(FalSurfaceFixture.endpoint)", key: key, json: FalSurfaceFixture.falInput,
                headers: [("X-Fal-Store-IO", "1"), ("X-Fal-Object-Lifecycle-Preference", #"{"expiration_duration_seconds": 86400}"#)])
            #expect(answer.status == 200, "\(answer.text)")
            let sent = try await submitHeaders(fixture)
            #expect(sent["X-Fal-Store-IO"] == "0")
            #expect(sent["X-Fal-Object-Lifecycle-Preference"] == #"{"expiration_duration_seconds": 300}"#)
        }
    }

    @Test("X-Fal-Request-Timeout is the job's deadline, as deadline_seconds; a team ignoring cancels does not take it")
    func requestTimeout() async throws {
        try await withFalSurface(configure: {
            $0.teams.overrides["patient"] = .init(falSurfaceCancels: .ignore)
        }) { fixture in
            let key = try await fixture.spool.key(team: "marketing")
            let answer = try await fixture.request(
                .post, "/\(FalSurfaceFixture.endpoint)", key: key, json: FalSurfaceFixture.falInput,
                headers: [("X-Fal-Request-Timeout", "120")])
            let id = try #require(answer.json["request_id"]?.stringValue)
            let job = try await fixture.spool.request(.get, "/v1/jobs/\(id)", key: key).json
            let created = try #require(job["created_at"]?.stringValue.flatMap(Timestamp.init(rfc3339:)))
            let deadline = try #require(job["deadline_at"]?.stringValue.flatMap(Timestamp.init(rfc3339:)))
            #expect(deadline.milliseconds - created.milliseconds == 120_000)

            let patient = try await fixture.spool.key(team: "patient")
            let ignored = try await fixture.request(
                .post, "/\(FalSurfaceFixture.endpoint)", key: patient, json: FalSurfaceFixture.falInput,
                headers: [("X-Fal-Request-Timeout", "120")])
            let patientID = try #require(ignored.json["request_id"]?.stringValue)
            #expect(try await fixture.spool.request(.get, "/v1/jobs/\(patientID)", key: patient).json["deadline_at"] == .null)
        }
    }

    @Test("bad header values answer 422 with a detail entry per header at loc [header, name]; no job is made")
    func refused() async throws {
        try await withFalSurface { fixture in
            let key = try await fixture.spool.key(team: "marketing")
            let answer = try await fixture.request(
                .post, "/\(FalSurfaceFixture.endpoint)", key: key, json: FalSurfaceFixture.falInput,
                headers: [("X-Fal-Request-Timeout", "soon"), ("X-Fal-Object-Lifecycle-Preference", "forever"),
                          ("X-Fal-Store-IO", "maybe")])
            #expect(answer.status == 422)
            let entries = answer.json["detail"]?.arrayValue ?? []
            #expect(entries.allSatisfy { $0["loc"]?.arrayValue?.first == "header" }, "\(answer.text)")
            #expect(Set(entries.compactMap { $0["loc"]?.arrayValue?.last?.stringValue })
                == ["x-fal-request-timeout", "x-fal-store-io", "x-fal-object-lifecycle-preference"], "\(answer.text)")
            let negative = try await fixture.request(
                .post, "/\(FalSurfaceFixture.endpoint)", key: key, json: FalSurfaceFixture.falInput,
                headers: [("X-Fal-Object-Lifecycle-Preference", #"{"expiration_duration_seconds": -5}"#)])
            #expect(negative.status == 422)
            #expect(try await fixture.spool.request(.get, "/v1/jobs", key: key).json["data"]?.arrayValue?.isEmpty == true)
        }
    }
}
