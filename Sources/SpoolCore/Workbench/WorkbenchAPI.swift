import SpoolHTTP
import SpoolResources

/// `GET /` and `GET /workbench/{file}`: the workbench, served from the files of `workbench/` built into the binary
/// (`index.html` as `/`, the style sheet and the JavaScript modules under `/workbench/`).
///
/// The page runs no inline code and loads nothing from elsewhere but the media it shows, so its
/// Content-Security-Policy allows scripts, styles and API calls from this origin only; images and videos may come
/// from any http(s) URL (fal's storage, the emulator) or from data/blob URLs.
///
/// Each file carries an `ETag` (a hash of its bytes) and `Cache-Control: no-cache`: a browser revalidates on every
/// load and gets `304 Not Modified` with no body until the binary serves other bytes.
struct WorkbenchAPI: Sendable {
    static let contentSecurityPolicy = [
        "default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'",
        "img-src 'self' http: https: data: blob:", "media-src 'self' http: https: data: blob:",
        "form-action 'none'", "frame-ancestors 'none'", "base-uri 'none'",
    ].joined(separator: "; ")

    /// The file served as `/`.
    static let pageName = "index.html"

    func register(in router: inout Router) {
        let assets = Dictionary(uniqueKeysWithValues: EmbeddedFolder.workbench.files.compactMap { file in
            Self.contentType(of: file.name).map { (file.name, WorkbenchAsset(bytes: file.bytes, type: $0)) }
        })
        let page = assets[Self.pageName]
        router.get("/", .immediate { request in
            page?.response(to: request) ?? .text("the workbench was not built into this binary", status: .notFound)
        })
        router.get("/workbench/{file}", .immediate { request in
            guard let name = request.pathParameters["file"], name != Self.pageName, let asset = assets[name] else {
                return .text("no such workbench file", status: .notFound)
            }
            return asset.response(to: request)
        })
    }

    /// The media type of a workbench file, by its extension; nil for a file that is not served.
    static func contentType(of name: String) -> String? {
        if name.hasSuffix(".html") { return "text/html; charset=utf-8" }
        if name.hasSuffix(".css") { return "text/css; charset=utf-8" }
        if name.hasSuffix(".mjs") || name.hasSuffix(".js") { return "text/javascript; charset=utf-8" }
        return nil
    }
}

/// One workbench file with the headers it is served with.
struct WorkbenchAsset: Sendable {
    let bytes: [UInt8]
    let headers: HTTPHeaders
    let entityTag: String

    init(bytes: [UInt8], type: String) {
        self.bytes = bytes
        entityTag = "\"" + SHA256Hex.of(bytes).prefix(32) + "\""
        headers = [
            "Content-Type": type, "Content-Security-Policy": WorkbenchAPI.contentSecurityPolicy,
            "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer",
            "Cache-Control": "no-cache", "ETag": entityTag,
        ]
    }

    /// The file, or `304 Not Modified` when the request's `If-None-Match` names this version (or is `*`).
    func response(to request: HTTPRequest) -> HTTPResponse {
        if let tags = request.headers["If-None-Match"] {
            let named = tags.split(separator: ",").map { tag in
                let bare = tag.filter { $0 != " " && $0 != "\t" }
                return bare.hasPrefix("W/") ? String(bare.dropFirst(2)) : bare
            }
            if named.contains("*") || named.contains(entityTag) {
                return HTTPResponse(status: .notModified, headers: headers)
            }
        }
        return HTTPResponse(status: .ok, headers: headers, body: .bytes(bytes))
    }
}
