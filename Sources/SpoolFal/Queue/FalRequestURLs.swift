/// The queue URLs of one fal request, built the way fal builds them:
/// `{base}/{app}/requests/{id}/status`, `…/status/stream`, `{base}/{app}/requests/{id}` and `…/cancel`.
///
/// Follow the URLs a submit returned while you have them; build these only to resume a request after a restart
/// when just its id was stored.
package struct FalRequestURLs: Sendable, Equatable {
    package var statusURL: String
    package var responseURL: String
    package var cancelURL: String

    package init(baseURL: String = "https://queue.fal.run", app: String, requestID: String) {
        let root = FalRequestURLs.trimmingSlashes(baseURL, leading: false) + "/"
            + FalRequestURLs.trimmingSlashes(app, leading: true) + "/requests/"
            + FalRequestURLs.percentEncoded(requestID)
        statusURL = root + "/status"
        responseURL = root
        cancelURL = root + "/cancel"
    }

    /// The same, with the app taken from an endpoint id (`fal-ai/kling-video/o3/pro/…` → `fal-ai/kling-video`).
    package init(baseURL: String = "https://queue.fal.run", endpoint: String, requestID: String) {
        self.init(baseURL: baseURL, app: FalRequestURLs.app(ofEndpoint: endpoint), requestID: requestID)
    }

    /// The status stream of a status URL: `/stream` appended to its path, any query kept.
    package var streamURL: String { FalRequestURLs.appendingPath("/stream", to: statusURL) }

    /// The app an endpoint id belongs to: its owner and name (the first two segments), or the first three for
    /// the `workflows/` and `comfy/` namespaces, as fal's clients read it.
    package static func app(ofEndpoint endpoint: String) -> String {
        let segments = trimmingSlashes(endpoint, leading: true).split(separator: "/", omittingEmptySubsequences: false)
        let count = ["workflows", "comfy"].contains(segments.first.map(String.init) ?? "") ? 3 : 2
        return segments.prefix(count).joined(separator: "/")
    }

    /// `url` with `path` inserted before its query, if it has one.
    static func appendingPath(_ path: String, to url: String) -> String {
        guard let query = url.firstIndex(of: "?") else { return url + path }
        return url[..<query] + path + url[query...]
    }

    /// `url` with `name=value` added to its query.
    static func appendingQuery(_ name: String, _ value: String, to url: String) -> String {
        url + (url.contains("?") ? "&" : "?") + name + "=" + percentEncoded(value)
    }

    /// Every byte but the RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`) as `%XX`.
    static func percentEncoded(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                encoded += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return encoded
    }

    static func trimmingSlashes(_ text: String, leading: Bool) -> String {
        var view = Substring(text)
        while view.hasSuffix("/") { view.removeLast() }
        while leading, view.hasPrefix("/") { view.removeFirst() }
        return String(view)
    }
}
