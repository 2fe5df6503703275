/// A complete response: status, headers and the whole body.
package struct HTTPClientResponse: Sendable {
    package var status: Int
    package var headers: HTTPClientHeaders
    package var body: [UInt8]
    /// The IP address the answer came from (curl's `CURLINFO_PRIMARY_IP`), for callers that must check
    /// where a host name led. Nil when unknown.
    package var remoteAddress: String?

    package init(status: Int, headers: HTTPClientHeaders = [], body: [UInt8] = [], remoteAddress: String? = nil) {
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
package struct HTTPClientStreamingResponse: Sendable {
    package var status: Int
    package var headers: HTTPClientHeaders
    package var remoteAddress: String?
    /// Body bytes in the order received, in chunks of whatever size the network delivered.
    package var body: AsyncThrowingStream<[UInt8], Error>
}
