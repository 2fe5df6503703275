import SpoolHTTP

/// CORS for browsers that call the surface through the JavaScript client's proxy protocol: a preflight may
/// ask for `authorization`, `content-type`, `accept` and any `x-fal-*` header, and every answer exposes
/// `x-fal-request-id`, from which the client reads a result's request id.
enum FalCORS {
    static let allowedHeaders: Set<String> = ["authorization", "content-type", "accept"]

    /// The answer to `OPTIONS`: 204 with what the browser asked for, as far as it is allowed.
    static func preflight(_ request: HTTPRequest) -> HTTPResponse {
        let asked = (request.headers["Access-Control-Request-Headers"] ?? "")
            .split(separator: ",").map { $0.trimmingCharacters(in: " \t").lowercased() }
            .filter { allowedHeaders.contains($0) || $0.hasPrefix("x-fal-") }
        var response = HTTPResponse(status: .noContent)
        response.headers.add("Access-Control-Allow-Methods", "GET, POST, PUT, OPTIONS")
        response.headers.add(
            "Access-Control-Allow-Headers", (asked.isEmpty ? allowedHeaders.sorted() : asked).joined(separator: ", "))
        response.headers.add("Access-Control-Max-Age", "600")
        decorate(&response, for: request)
        return response
    }

    /// Adds the headers every answer carries.
    static func decorate(_ response: inout HTTPResponse, for request: HTTPRequest) {
        response.headers.set("Access-Control-Allow-Origin", request.headers["Origin"] ?? "*")
        response.headers.set("Access-Control-Expose-Headers", "x-fal-request-id")
        response.headers.add("Vary", "Origin")
    }
}
