/// The settings one `HTTPClient` applies to every transfer it carries.
///
/// Per-request values in `HTTPClientRequest` (timeouts, response cap) override the matching defaults here.
package struct HTTPClientConfiguration: Sendable {
    /// `User-Agent` sent unless a request sets its own.
    package static let defaultUserAgent = "spool/0.1"

    /// Time allowed to resolve the host and finish the TCP (and TLS) handshake. Default 10 s.
    package var connectTimeout: Duration
    /// Time allowed for a whole transfer, from queueing to the last body byte. Default 60 s.
    /// A transfer waiting for a free connection (see `maxConnectionsPerHost`) spends this time too.
    package var totalTimeout: Duration
    /// Largest response body accepted; a larger one fails with `HTTPClientError.responseTooLarge`. Default 16 MiB.
    package var maxResponseBytes: Int
    /// Whether 3xx answers are followed (at most 5 hops, http and https only). Default false.
    package var followRedirects: Bool
    /// Open connections allowed to one host at a time; further transfers to it wait for one to free up.
    /// HTTP/2 hosts multiplex many transfers on each. 0 means no limit. Default 64.
    package var maxConnectionsPerHost: Int
    package var userAgent: String

    package init(
        connectTimeout: Duration = .seconds(10),
        totalTimeout: Duration = .seconds(60),
        maxResponseBytes: Int = 16 << 20,
        followRedirects: Bool = false,
        maxConnectionsPerHost: Int = 64,
        userAgent: String = HTTPClientConfiguration.defaultUserAgent
    ) {
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.maxResponseBytes = maxResponseBytes
        self.followRedirects = followRedirects
        self.maxConnectionsPerHost = maxConnectionsPerHost
        self.userAgent = userAgent
    }
}

extension Duration {
    /// Whole milliseconds, rounded up so that a tiny positive duration does not become curl's "no limit" 0.
    var curlMilliseconds: Int {
        let (seconds, attoseconds) = components
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int(max(0, milliseconds))
    }
}
