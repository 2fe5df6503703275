import SpoolJSON
import Crypto

#if canImport(Glibc)
import Glibc
#endif

/// Presigned URLs: AWS Signature Version 4 in the query string, for a GET that anyone holding the URL may make
/// until it expires. libcurl signs the requests Spool sends itself; it does not make URLs for others.
///
/// The URL carries `X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`, `X-Amz-SignedHeaders`
/// (only `host`), `X-Amz-Security-Token` with temporary credentials, and last `X-Amz-Signature`; the payload is
/// `UNSIGNED-PAYLOAD`, since the signer cannot know what the reader will ask for. The tests compare the output
/// byte for byte with botocore's signer on fixed inputs.
struct SigV4QuerySigner: Sendable {
    /// The longest validity S3 accepts for a presigned URL: 7 days.
    static let maximumExpiry = 604_800

    let credentials: S3Credentials
    let region: String
    let service = "s3"

    /// A presigned GET of `key`, valid for `expiresInSeconds` (1 s to 7 days) from `date` (seconds since 1970).
    func presignedGET(of key: String, at addressing: S3Addressing, date: Int, expiresInSeconds: Int) -> String {
        let (day, timestamp) = Self.format(date)
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        var parameters = [
            ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
            ("X-Amz-Credential", "\(credentials.accessKeyID)/\(scope)"),
            ("X-Amz-Date", timestamp),
            ("X-Amz-Expires", String(min(max(1, expiresInSeconds), Self.maximumExpiry))),
            ("X-Amz-SignedHeaders", "host"),
        ]
        if let token = credentials.sessionToken { parameters.append(("X-Amz-Security-Token", token)) }
        let path = addressing.path(of: key)
        let canonicalRequest = [
            "GET", path, AWSURIEncoding.canonicalQuery(parameters), "host:\(addressing.host)", "", "host",
            "UNSIGNED-PAYLOAD",
        ].joined(separator: "\n")
        let stringToSign = [
            "AWS4-HMAC-SHA256", timestamp, scope, Hex.string(SHA256.hash(data: Array(canonicalRequest.utf8))),
        ].joined(separator: "\n")
        let signature = Hex.string(HMAC<SHA256>.authenticationCode(
            for: Array(stringToSign.utf8), using: signingKey(day: day)))
        // The query keeps the parameters' own order, as AWS's SDKs write it; the signature covers the sorted form.
        let query = (parameters + [("X-Amz-Signature", signature)])
            .map { "\(AWSURIEncoding.encode($0.0))=\(AWSURIEncoding.encode($0.1))" }
            .joined(separator: "&")
        return "\(addressing.scheme)://\(addressing.host)\(path)?\(query)"
    }

    /// The key derived for one day, region and service: HMAC chained from `AWS4` + the secret.
    private func signingKey(day: String) -> SymmetricKey {
        var key = SymmetricKey(data: Array("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        return key
    }

    /// `20261204` and `20261204T073930Z` for `date`, in UTC.
    static func format(_ date: Int) -> (day: String, timestamp: String) {
        var seconds = time_t(date)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : String(value) }
        let day = "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))"
        return (day, "\(day)T\(two(parts.tm_hour))\(two(parts.tm_min))\(two(parts.tm_sec))Z")
    }
}
