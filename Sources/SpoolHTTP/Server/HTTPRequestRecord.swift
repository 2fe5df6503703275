/// One finished request, for access logs and metrics.
///
/// Handed to the server's observer on the event-loop thread once the response has been queued in full (for a
/// streamed body: once the stream has ended), so the observer must be quick.
package struct HTTPRequestRecord: Sendable {
    /// The method, or `-` when the request line could not be parsed.
    package let method: HTTPMethod
    /// The path without its query, or `-` when the request line could not be parsed.
    package let path: String
    /// The route pattern that matched (`/v1/jobs/{id}`); nil for 404s, 405s and unparseable requests.
    package let routePattern: String?
    package let status: Int
    /// From the request's first byte to its response being queued (or its stream ending).
    package let durationSeconds: Double
    package let requestID: String
    /// The peer as `host:port`.
    package let remoteAddress: String
    /// Bytes of the response, status line and headers included (and chunk framing for streams).
    package let bytesSent: Int

    package init(
        method: HTTPMethod, path: String, routePattern: String?, status: Int, durationSeconds: Double,
        requestID: String, remoteAddress: String, bytesSent: Int
    ) {
        self.method = method
        self.path = path
        self.routePattern = routePattern
        self.status = status
        self.durationSeconds = durationSeconds
        self.requestID = requestID
        self.remoteAddress = remoteAddress
        self.bytesSent = bytesSent
    }
}
