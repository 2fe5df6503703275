import SpoolHTTP

/// What a request to the fal surface asks for, read from its path the way fal's queue lays them out:
/// `POST /{endpoint…}` submits; `/{app…}/requests/{id}` then nothing (result), `/status`, `/status/stream` or
/// `/cancel` reads or cancels. The app part is not checked against the job: the request id alone names it.
enum FalRoute: Equatable, Sendable {
    case submit(endpoint: String)
    case status(requestID: String)
    case statusStream(requestID: String)
    case result(requestID: String)
    case cancel(requestID: String)

    /// The route for `method` on `path` (percent-encoding left in place), or nil when fal has no such route.
    static func read(method: String, path: String) -> FalRoute? {
        let segments = path.split(separator: "/").map(String.init)
        guard !segments.isEmpty else { return nil }
        if method == "POST" { return .submit(endpoint: segments.joined(separator: "/")) }
        guard let marker = segments.lastIndex(of: "requests"), marker > 0, marker + 1 < segments.count else { return nil }
        let id = PercentDecoding.decode(segments[marker + 1]) ?? segments[marker + 1]
        let rest = Array(segments[(marker + 2)...])
        switch (method, rest) {
        case ("GET", []): return .result(requestID: id)
        case ("GET", ["status"]): return .status(requestID: id)
        case ("GET", ["status", "stream"]): return .statusStream(requestID: id)
        case ("PUT", ["cancel"]): return .cancel(requestID: id)
        default: return nil
        }
    }
}
