/// Where the objects of one bucket live: the URL of an object, in path style (`https://host/bucket/key`, for
/// local and most self-hosted servers) or virtual-host style (`https://bucket.host/key`, AWS's default).
struct S3Addressing: Sendable, Equatable {
    /// `http` or `https`.
    let scheme: String
    /// The endpoint's host, with its port when it names one.
    let endpointHost: String
    let bucket: String
    let pathStyle: Bool

    /// `endpoint` is `scheme://host[:port]` with no path; nil means AWS's regional endpoint for `region`.
    init(endpoint: String?, region: String, bucket: String, pathStyle: Bool) throws(S3Error) {
        let url = endpoint ?? "https://s3.\(region).amazonaws.com"
        var rest = Substring(url)
        if rest.hasPrefix("https://") {
            scheme = "https"
        } else if rest.hasPrefix("http://") {
            scheme = "http"
        } else {
            throw S3Error.configuration("the S3 endpoint must start with http:// or https://, not \(url)")
        }
        rest = rest.dropFirst(scheme.count + 3)
        while rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.isEmpty, !rest.contains("/"), !rest.contains("?"), !rest.contains("@") else {
            throw S3Error.configuration("the S3 endpoint must be scheme://host[:port] with no path, not \(url)")
        }
        guard !bucket.isEmpty, AWSURIEncoding.encode(bucket) == bucket else {
            throw S3Error.configuration("the S3 bucket name \(bucket.debugDescription) is not a valid bucket name")
        }
        endpointHost = String(rest)
        self.bucket = bucket
        self.pathStyle = pathStyle
    }

    /// The `Host` the requests for this bucket go to.
    var host: String { pathStyle ? endpointHost : "\(bucket).\(endpointHost)" }

    /// The encoded path of `key`, as sent and as signed.
    func path(of key: String) -> String {
        let encodedKey = AWSURIEncoding.encode(key, keepingSlash: true)
        return pathStyle ? "/\(bucket)/\(encodedKey)" : "/\(encodedKey)"
    }

    /// The full URL of `key` with an already canonical query (empty for none).
    func url(of key: String, query: String = "") -> String {
        "\(scheme)://\(host)\(path(of: key))\(query.isEmpty ? "" : "?" + query)"
    }
}
