/// One HTTP request for `HTTPClient`.
public struct HTTPClientRequest: Sendable {
    public enum Method: String, Sendable {
        case get = "GET", head = "HEAD", post = "POST", put = "PUT", patch = "PATCH", delete = "DELETE"
    }

    public var method: Method
    /// An absolute `http` or `https` URL, already percent-encoded.
    public var url: String
    /// Header fields in order; a name may repeat. Names and values must not contain CR, LF or NUL.
    public var headers: [(String, String)]
    /// The body, sent with a `Content-Length`. Nil sends none.
    public var body: [UInt8]?
    /// Deadline for the whole transfer; nil takes the client's `totalTimeout`. `.zero` means no deadline.
    public var timeout: Duration?
    /// Deadline for connecting; nil takes the client's `connectTimeout`.
    public var connectTimeout: Duration?
    /// Fails the transfer when no byte arrives for about this long (curl's low-speed limit of 1 byte/s),
    /// for long-lived streams that should show signs of life. Nil: no such check.
    public var idleTimeout: Duration?
    /// Cap on the response body; nil takes the client's `maxResponseBytes`.
    public var maxResponseBytes: Int?
    /// Addresses to use instead of DNS, as curl's `CURLOPT_RESOLVE` takes them: `host:port:address`
    /// (an IPv6 address in brackets). The webhook deliverer pins the address it checked this way.
    public var resolve: [String]
    /// Signs the request with AWS Signature Version 4 (see `AWSRequestSigning`); nil sends it unsigned.
    public var awsSigning: AWSRequestSigning?

    public init(
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
