/// Asks libcurl to sign a request with AWS Signature Version 4 in the `Authorization` header
/// (`CURLOPT_AWS_SIGV4`, with the key pair as `CURLOPT_USERNAME`/`CURLOPT_PASSWORD`).
///
/// libcurl signs `Host`, `X-Amz-Date` and every header field the request names, and takes the payload hash from
/// an `x-amz-content-sha256` field when the request carries one, so callers send that field. Because every named
/// field is signed, a signed request gets none of the client's "remove this default" fields (`Expect:`,
/// `Content-Type:`): libcurl 7.88 would sign them as empty fields it never sends, and the server would disagree.
/// Callers give a `Content-Type` to every request with a body.
///
/// The description names the provider and the access key id, never the secret, so the value can appear in logs.
package struct AWSRequestSigning: Sendable, Equatable, CustomStringConvertible {
    /// libcurl's provider string, `aws:amz:REGION:SERVICE`, for instance `aws:amz:us-east-1:s3`.
    package var provider: String
    package var accessKeyID: String
    package var secretAccessKey: String

    package init(provider: String, accessKeyID: String, secretAccessKey: String) {
        self.provider = provider
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
    }

    package var description: String { "AWS SigV4 (\(provider)) with access key \(accessKeyID)" }
}
