/// The key pair Spool signs S3 requests with, and the session token of temporary credentials.
///
/// They come from the environment only (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`), never
/// from a configuration file. The description shows the access key id alone, so the value is safe in a log line.
package struct S3Credentials: Sendable, Equatable, CustomStringConvertible {
    package var accessKeyID: String
    package var secretAccessKey: String
    /// Sent as `x-amz-security-token` (signed) and `X-Amz-Security-Token` in presigned URLs; nil for long-term keys.
    package var sessionToken: String?

    package init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    package var description: String {
        "S3Credentials(access key \(accessKeyID)\(sessionToken == nil ? "" : ", with a session token"))"
    }
}
