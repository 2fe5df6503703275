import SpoolHTTP

/// `GET /`, `GET /workbench.js` and `GET /workbench.css`: the workbench page, served from the binary.
///
/// The page runs no inline code and loads nothing from elsewhere but the media it shows, so its
/// Content-Security-Policy allows scripts, styles and API calls from this origin only; images and videos may come
/// from any http(s) URL (fal's storage, the emulator) or from data/blob URLs.
struct WorkbenchAPI: Sendable {
    static let contentSecurityPolicy = [
        "default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'",
        "img-src 'self' http: https: data: blob:", "media-src 'self' http: https: data: blob:",
        "form-action 'none'", "frame-ancestors 'none'", "base-uri 'none'",
    ].joined(separator: "; ")

    func register(in router: inout Router) {
        let page = Self.asset(WorkbenchPage.html, type: "text/html; charset=utf-8")
        let script = Self.asset(WorkbenchScript.source, type: "text/javascript; charset=utf-8")
        let style = Self.asset(WorkbenchStyle.css, type: "text/css; charset=utf-8")
        router.get("/", .immediate { _ in page })
        router.get("/workbench.js", .immediate { _ in script })
        router.get("/workbench.css", .immediate { _ in style })
    }

    /// A static response with the headers every workbench file carries.
    static func asset(_ text: String, type: String) -> HTTPResponse {
        HTTPResponse(
            status: .ok,
            headers: [
                "Content-Type": type, "Content-Security-Policy": contentSecurityPolicy,
                "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer",
                "Cache-Control": "no-cache",
            ],
            body: .bytes(Array(text.utf8)))
    }
}
