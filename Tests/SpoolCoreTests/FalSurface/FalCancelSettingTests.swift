import SpoolFal
import SpoolJSON
import Testing
@testable import SpoolCore

@Suite("fal surface: the team's fal_surface_cancels setting")
struct FalCancelSettingTests {
    @Test("a team that ignores the surface's cancels gets fal's 202 CANCELLATION_REQUESTED and its job runs to the end")
    func ignored() async throws {
        try await withFalSurface(
            configure: { $0.teams.overrides["patient"] = .init(falSurfaceCancels: .ignore) },
            simulate: { $0.queueSeconds = 0.5 }) { fixture in
            let key = try await fixture.spool.key(team: "patient")
            let id = try #require(try await fixture.submit(key: key).json["request_id"]?.stringValue)
            let path = "/fal-ai/kling-video/requests/\(id)/cancel"
            let cancel = try await fixture.request(.put, path, key: key)
            #expect(cancel.status == 202 && cancel.json["status"]?.stringValue == "CANCELLATION_REQUESTED", "\(cancel.text)")
            let job = try await fixture.spool.waitUntilTerminal(id, key: key)
            #expect(job["status"]?.stringValue == "completed", "\(job)")
            let late = try await fixture.request(.put, path, key: key)
            #expect(late.status == 400 && late.json["status"]?.stringValue == "ALREADY_COMPLETED")
            let unknown = try await fixture.request(.put, "/fal-ai/kling-video/requests/job_missing/cancel", key: key)
            #expect(unknown.status == 404 && unknown.json["status"]?.stringValue == "NOT_FOUND")
        }
    }

    @Test("an ignored cancel leaves Spool's own cancel route working")
    func v1CancelStillWorks() async throws {
        try await withFalSurface(
            configure: { $0.teams.overrides["patient"] = .init(falSurfaceCancels: .ignore) },
            simulate: { $0.queueSeconds = 5 }) { fixture in
            let key = try await fixture.spool.key(team: "patient")
            let id = try #require(try await fixture.submit(key: key).json["request_id"]?.stringValue)
            #expect(try await fixture.request(.put, "/fal-ai/kling-video/requests/\(id)/cancel", key: key).status == 202)
            let cancelled = try await fixture.spool.request(.post, "/v1/jobs/\(id)/cancel", key: key)
            #expect(cancelled.status == 202 || cancelled.status == 200, "\(cancelled.text)")
            #expect(try await fixture.spool.waitUntilTerminal(id, key: key)["status"]?.stringValue == "cancelled")
        }
    }
}
