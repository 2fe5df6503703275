import Testing
@testable import SpoolHTTP

@Suite("Router")
struct RouterTests {
    private let handler = HTTPHandler.immediate { _ in HTTPResponse() }

    private func pattern(_ match: Router.Match) -> String? {
        if case .found(_, _, let pattern) = match { return pattern }
        return nil
    }

    @Test("captures bind path segments, percent-decoded")
    func parameters() {
        var router = Router()
        router.post("/v1/jobs/{id}/deliveries/{delivery_id}/retry", handler)
        guard case .found(_, let parameters, let pattern) = router.match(.post, path: "/v1/jobs/job_1/deliveries/dlv%202/retry")
        else {
            Issue.record("no match")
            return
        }
        #expect(parameters == ["id": "job_1", "delivery_id": "dlv 2"])
        #expect(pattern == "/v1/jobs/{id}/deliveries/{delivery_id}/retry")
    }

    @Test("a literal segment beats a capture at the same depth, whatever the order routes were added in")
    func literalBeatsCapture() {
        var router = Router()
        router.get("/v1/jobs/{id}", handler)
        router.get("/v1/jobs/search", handler)
        #expect(pattern(router.match(.get, path: "/v1/jobs/search")) == "/v1/jobs/search")
        #expect(pattern(router.match(.get, path: "/v1/jobs/job_1")) == "/v1/jobs/{id}")
    }

    @Test("an unknown path is not found; an empty capture does not match")
    func notFound() {
        var router = Router()
        router.get("/v1/jobs/{id}", handler)
        guard case .notFound = router.match(.get, path: "/v1/models") else {
            Issue.record("expected notFound")
            return
        }
        guard case .notFound = router.match(.get, path: "/v1/jobs/") else {
            Issue.record("expected notFound for an empty capture")
            return
        }
    }

    @Test("a wrong method gets 405's allowed list, with HEAD wherever GET exists")
    func methodNotAllowed() {
        var router = Router()
        router.get("/v1/jobs", handler)
        router.post("/v1/jobs", handler)
        guard case .methodNotAllowed(let allowed) = router.match(.delete, path: "/v1/jobs") else {
            Issue.record("expected methodNotAllowed")
            return
        }
        #expect(allowed == [.get, .head, .post])
        #expect(HTTPError.methodNotAllowed(allowed: allowed).headers["Allow"] == "GET, HEAD, POST")
    }

    @Test("HEAD uses the GET handler when there is no HEAD handler of its own")
    func headFallsBackToGet() {
        var router = Router()
        router.get("/healthz", handler)
        #expect(pattern(router.match(.head, path: "/healthz")) == "/healthz")
    }
}
