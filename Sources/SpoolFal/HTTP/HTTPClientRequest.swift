/// One HTTP request for `HTTPClient`.
package struct HTTPClientRequest: Sendable {
    package enum Method: String, Sendable {
        case get = "GET", head = "HEAD", post = "POST", put = "PUT", patch = "PATCH", delete = "DELETE"
    }

    package var method: Method
    /// An absolute `http` or `https` URL, already percent-encoded.
    package var url: String
    /// Header fields in order; a name may repeat. Names and values must not contain CR, LF or NUL.
    package var headers: [(String, String)]
    /// The body, sent with a `Content-Length`. Nil sends none.
    package var body: [UInt8]?
    /// Deadline for the whole transfer; nil takes the client's `totalTimeout`. `.zero` means no deadline.
    package var timeout: Duration?
    /// Deadline for connecting; nil takes the client's `connectTimeout`.
    package var connectTimeout: Duration?
    /// Fails the transfer when no byte arrives for about this long (curl's low-speed limit of 1 byte/s),
    /// for long-lived streams that should show signs of life. Nil: no such check.
    package var idleTimeout: Duration?
    /// Cap on the response body; nil takes the client's `maxResponseBytes`.
    package var maxResponseBytes: Int?
    /// Addresses to use instead of DNS, as curl's `CURLOPT_RESOLVE` takes them: `host:port:address`
    /// (an IPv6 address in brackets). The webhook deliverer pins the address it checked this way.
    package var resolve: [String]
    /// Signs the request with AWS Signature Version 4 (see `AWSRequestSigning`); nil sends it unsigned.
    package var awsSigning: AWSRequestSigning?

    package init(
        method: Method = .get, url: String, headers: [(String, String)] = [], body: [UInt8]? = nil,
        timeout: Duration? = nil, connectTimeout: Duration? = nil, idleTimeout: Duration? = nil,
        maxResponseBytes: Int? = nil, resolve: [String] = [], awsSigning: AWSRequestSigning? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.idleTimeout = idleTimeout
        self.maxResponseBytes = maxResponseBytes
        self.resolve = resolve
        self.awsSigning = awsSigning
    }
}
