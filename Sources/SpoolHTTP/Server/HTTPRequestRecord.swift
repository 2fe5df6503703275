/// One finished request, for access logs and metrics.
///
/// Handed to the server's observer on the event-loop thread once the response has been queued in full (for a
/// streamed body: once the stream has ended), so the observer must be quick.
public struct HTTPRequestRecord: Sendable {
    /// The method, or `-` when the request line could not be parsed.
    public let method: HTTPMethod
    /// The path without its query, or `-` when the request line could not be parsed.
    public let path: String
    /// The route pattern that matched (`/v1/jobs/{id}`); nil for 404s, 405s and unparseable requests.
    public let routePattern: String?
    public let status: Int
    /// From the request's first byte to its response being queued (or its stream ending).
    public let durationSeconds: Double
    public let requestID: String
    /// The peer as `host:port`.
    public let remoteAddress: String
    /// Bytes of the response, status line and headers included (and chunk framing for streams).
    public let bytesSent: Int

    public init(
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
