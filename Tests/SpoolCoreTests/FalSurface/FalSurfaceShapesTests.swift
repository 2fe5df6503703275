import SpoolJSON
import Testing
@testable import SpoolCore

@Suite("fal surface: paths, proxy targets and error locations")
struct FalSurfaceShapesTests {
    @Test("fal's paths: submit takes the whole endpoint; requests routes take the id after `requests`", arguments: [
        ("POST", "/fal-ai/kling-video/o3/pro/reference-to-video", FalRoute.submit(endpoint: "fal-ai/kling-video/o3/pro/reference-to-video")),
        ("GET", "/fal-ai/kling-video/requests/job_1/status", .status(requestID: "job_1")),
        ("GET", "/fal-ai/kling-video/requests/job_1/status/stream", .statusStream(requestID: "job_1")),
        ("GET", "/fal-ai/kling-video/requests/job_1", .result(requestID: "job_1")),
        ("PUT", "/workflows/fal-ai/flow/requests/job_1/cancel", .cancel(requestID: "job_1")),
    ])
    func routes(_ method: String, _ path: String, _ expected: FalRoute) {
        #expect(FalRoute.read(method: method, path: path) == expected)
    }

    @Test("paths fal's queue does not have are not routes")
    func notRoutes() {
        #expect(FalRoute.read(method: "GET", path: "/fal-ai/kling-video") == nil)
        #expect(FalRoute.read(method: "GET", path: "/requests/job_1/status") == nil)
        #expect(FalRoute.read(method: "PUT", path: "/fal-ai/kling-video/requests/job_1") == nil)
        #expect(FalRoute.read(method: "POST", path: "/") == nil)
    }

    @Test("proxy targets: fal's queue and run hosts and their backups are served; the query is kept")
    func proxyTargets() throws {
        let queue = try FalProxyTarget.read("https://queue.falrun.com/fal-ai/kling-video/requests/job_1/status?logs=1")
        #expect(queue == FalProxyTarget(
            host: .queue, base: "https://queue.falrun.com", path: "/fal-ai/kling-video/requests/job_1/status", query: "logs=1"))
        #expect(try FalProxyTarget.read("https://fal.run/fal-ai/x/y").host == .run)
        #expect(throws: FalSurfaceError.self) { try FalProxyTarget.read("http://queue.fal.run/fal-ai/x/y") }
        #expect(throws: FalSurfaceError.self) { try FalProxyTarget.read("https://evil.example/?https://queue.fal.run/") }
    }

    @Test("Spool's field paths become fal's loc: body, then names and indexes; the webhook is the query's")
    func locations() {
        #expect(FalSurfaceError.location(of: "input.elements[0].frontal_image_url") == ["body", "elements", 0, "frontal_image_url"])
        #expect(FalSurfaceError.location(of: "input.duration") == ["body", "duration"])
        #expect(FalSurfaceError.location(of: "webhook_url") == ["query", "fal_webhook"])
    }
}
