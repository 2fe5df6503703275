/// Where a request of the JavaScript client's proxy protocol was meant to go: the `x-fal-target-url` header.
///
/// The surface is the proxy and the queue at once, so it answers targets on fal's queue and run hosts itself
/// and refuses every other host: it never forwards anything anywhere (no open proxy). Storage uploads are
/// refused with a message saying what to send instead.
struct FalProxyTarget: Equatable, Sendable {
    enum Host: Equatable, Sendable {
        /// `queue.fal.run` (or its backup `queue.falrun.com`): submit, status, result, cancel.
        case queue
        /// `fal.run` (or `falrun.com`): a submit that waits for the result.
        case run
    }

    var host: Host
    /// The base URL of the target, used in the URLs the answers carry (the client rebuilds them on it anyway).
    var base: String
    var path: String
    var query: String?

    static let queueHosts: Set<String> = ["queue.fal.run", "queue.falrun.com"]
    static let runHosts: Set<String> = ["fal.run", "falrun.com"]

    /// Reads the header; throws the answer for a target the surface does not serve.
    static func read(_ header: String) throws(FalSurfaceError) -> FalProxyTarget {
        let text = header.trimmingCharacters(in: " \t")
        guard let schemeEnd = text.range(of: "://") else {
            throw .detail(.badRequest, "x-fal-target-url must be an absolute https URL, not \(text).")
        }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        let rest = text[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<authorityEnd].lowercased()
        let hostName = authority.split(separator: ":").first.map(String.init) ?? ""
        var path = String(rest[authorityEnd...])
        var query: String?
        if let mark = path.firstIndex(of: "?") {
            query = String(path[path.index(after: mark)...])
            path = String(path[..<mark])
        }
        guard scheme == "https" else {
            throw .detail(.badRequest, "x-fal-target-url must be an https URL on fal's queue, not \(text).")
        }
        if queueHosts.contains(hostName) {
            return FalProxyTarget(host: .queue, base: "https://\(authority)", path: path, query: query)
        }
        if runHosts.contains(hostName) {
            return FalProxyTarget(host: .run, base: "https://\(authority)", path: path, query: query)
        }
        if hostName.hasSuffix("fal.ai"), path.hasPrefix("/storage/") {
            throw .detail(
                .notImplemented,
                "Spool does not take file uploads for fal's storage: put files where fal can fetch them and send "
                    + "their https URLs (or data: URIs) in the input.", errorType: "storage_not_supported")
        }
        throw .detail(
            .forbidden,
            "This proxy only answers fal's queue and run hosts (queue.fal.run, fal.run); \(hostName) is refused.",
            errorType: "proxy_target_refused")
    }
}
