/// A complete response: status, headers and the whole body.
public struct HTTPClientResponse: Sendable {
    public var status: Int
    public var headers: HTTPClientHeaders
    public var body: [UInt8]
    /// The IP address the answer came from (curl's `CURLINFO_PRIMARY_IP`), for callers that must check
    /// where a host name led. Nil when unknown.
    public var remoteAddress: String?

    public init(status: Int, headers: HTTPClientHeaders = [], body: [UInt8] = [], remoteAddress: String? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
    }
}

/// A response whose body arrives piece by piece, returned by `HTTPClient.stream(_:)` once the headers are in.
///
/// The transfer runs until the body ends, fails or the consumer stops: ending the iteration early, dropping
/// `body` or cancelling the iterating task cancels the transfer.
public struct HTTPClientStreamingResponse: Sendable {
    public var status: Int
    public var headers: HTTPClientHeaders
    public var remoteAddress: String?
    /// Body bytes in the order received, in chunks of whatever size the network delivered.
    public var body: AsyncThrowingStream<[UInt8], Error>
}
