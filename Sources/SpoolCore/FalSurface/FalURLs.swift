import SpoolHTTP

/// The base URL a fal client reaches the surface at, for the `status_url`, `response_url` and `cancel_url` it is
/// handed: the configured public URL; for a request that came through the proxy protocol, the fal host it
/// targeted; otherwise built from `X-Forwarded-Proto`/`X-Forwarded-Host` (a TLS front) or `Host`.
struct FalURLs: Sendable {
    let base: String

    init(base: String) {
        self.base = base.hasSuffix("/") ? String(base.dropLast()) : base
    }

    /// The base for `request`; `configured` is `fal_surface.public_url`.
    static func base(for request: HTTPRequest, configured: String?) -> String {
        if let configured, !configured.isEmpty { return configured }
        let scheme = firstValue(request.headers["X-Forwarded-Proto"]) ?? "http"
        let host = firstValue(request.headers["X-Forwarded-Host"]) ?? request.headers["Host"] ?? "localhost"
        return "\(scheme)://\(host)"
    }

    /// `…/{app}/requests/{id}`, where the app is the endpoint's first two segments as fal's clients expect.
    func request(_ id: String, endpoint: String) -> String {
        let app = endpoint.split(separator: "/").prefix(2).joined(separator: "/")
        return "\(base)/\(app)/requests/\(id)"
    }

    /// The three URLs of a request, as fal's submit and status answers carry them.
    func links(_ id: String, endpoint: String) -> [(String, String)] {
        let response = request(id, endpoint: endpoint)
        return [("response_url", response), ("status_url", response + "/status"), ("cancel_url", response + "/cancel")]
    }

    private static func firstValue(_ header: String?) -> String? {
        guard let first = header?.split(separator: ",").first?.trimmingCharacters(in: " "), !first.isEmpty else { return nil }
        return first
    }
}
