import SpoolHTTP

/// fal's queue API answered from Spool's own jobs, for fal's official clients: they keep their code and get a
/// Spool key as `FAL_KEY` and the surface's address as fal's hosts (README, "Using fal's clients with Spool").
///
/// It is served on its own listener (`fal_surface.listen`), because fal's clients put endpoint ids right after
/// the host. There, `POST /{endpoint…}` submits like `queue.fal.run`, `POST /run/{endpoint…}` waits for the
/// result like `fal.run`, and a request carrying `x-fal-target-url` (the JavaScript client's proxy protocol)
/// is answered as if it had been sent to that URL, when that is one of fal's queue or run hosts.
struct FalSurfaceAPI: Sendable {
    let queue: FalQueueHandlers
    let authenticator: Authenticator
    let configuration: SpoolConfiguration

    /// The path prefix that stands for fal's run host.
    static let runPrefix = "/run/"
    /// Longest path the surface routes, in segments (endpoint ids have up to six).
    static let maxDepth = 16

    /// Routes every path of up to `maxDepth` segments to `handle`: the router has no wildcard, and the
    /// surface reads fal's paths itself.
    func register(in router: inout Router) {
        for depth in 0...Self.maxDepth {
            let pattern = "/" + (0..<depth).map { "{s\($0)}" }.joined(separator: "/")
            for method in [HTTPMethod.get, .post, .put, .options] {
                router.add(method, pattern, .async { await handle($0) })
            }
        }
    }

    func handle(_ request: HTTPRequest) async -> HTTPResponse {
        var response: HTTPResponse
        if request.method == .options {
            response = FalCORS.preflight(request)
        } else {
            do { response = try await route(request) } catch let error as FalSurfaceError {
                response = error.response
            } catch let refusal as JobRefusal {
                response = FalSurfaceError.from(refusal).response
            } catch {
                response = FalSurfaceError.detail(.internalServerError, "The gateway failed to answer.").response
            }
        }
        FalCORS.decorate(&response, for: request)
        return response
    }

    private func route(_ request: HTTPRequest) async throws -> HTTPResponse {
        var request = request
        let waits: Bool
        let urls: FalURLs
        if let header = request.headers["x-fal-target-url"] {
            let target = try FalProxyTarget.read(header)
            request.path = target.path
            request.query = target.query
            waits = target.host == .run
            urls = FalURLs(base: target.base)
        } else {
            waits = request.path.hasPrefix(Self.runPrefix)
            if waits { request.path = String(request.path.dropFirst(Self.runPrefix.count - 1)) }
            urls = FalURLs(base: FalURLs.base(for: request, configured: configuration.falSurface.publicURL))
        }
        guard let route = FalRoute.read(method: request.method.rawValue, path: request.path) else {
            throw FalSurfaceError.detail(.notFound, "fal's queue has no \(request.method) \(request.path).")
        }
        let principal = try await authenticate(request)
        switch route {
        case .submit(let endpoint):
            return try await queue.submit(endpoint, request: request, principal: principal, urls: urls, waits: waits)
        case .status(let id):
            return try await queue.status(id, withLogs: Self.wantsLogs(request), principal: principal, urls: urls)
        case .statusStream(let id):
            return try await queue.statusStream(id, withLogs: Self.wantsLogs(request), principal: principal, urls: urls)
        case .result(let id):
            return try await queue.result(id, principal: principal)
        case .cancel(let id):
            return try await queue.cancel(id, principal: principal)
        }
    }

    /// fal's clients send `Authorization: Key <key>`; Spool's keys are also taken as `Bearer`.
    private func authenticate(_ request: HTTPRequest) async throws(FalSurfaceError) -> Principal {
        var presented = request
        if let value = request.headers["Authorization"], value.lowercased().hasPrefix("key ") {
            presented.headers.set("Authorization", "Bearer " + value.dropFirst(4))
        }
        do { return try await authenticator.authenticate(presented) } catch {
            throw .detail(.unauthorized, "Send a Spool API key as `Authorization: Key <key>` (FAL_KEY in fal's clients).")
        }
    }

    /// `logs=1` (JavaScript) or `logs=true` (Python).
    static func wantsLogs(_ request: HTTPRequest) -> Bool {
        ["1", "true"].contains(request.queryValue("logs")?.lowercased() ?? "")
    }
}
