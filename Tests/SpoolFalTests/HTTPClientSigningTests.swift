import Foundation
import SpoolTestSupport
import Synchronization
import Testing
@testable import SpoolFal

/// `HTTPClientRequest.awsSigning`: libcurl signs with AWS Signature Version 4. That the signatures are right is
/// checked against a signature-checking S3 server in SpoolCoreTests; here, what goes on the wire.
@Suite("HTTP client: AWS SigV4 signing")
struct HTTPClientSigningTests {
    @Test("a signed request carries an AWS4-HMAC-SHA256 Authorization over the named fields, and no secret")
    func signedRequestOnTheWire() async throws {
        let seen = Mutex<TestRequest?>(nil)
        let server = try TestHTTPServer { request in
            seen.withLock { $0 = request }
            return .respond(status: 200)
        }
        defer { server.stop() }
        let client = HTTPClient()
        defer { client.shutdown() }
        let signing = AWSRequestSigning(
            provider: "aws:amz:eu-west-3:s3", accessKeyID: "AKIDTEST", secretAccessKey: "very/secret+key")

        _ = try await client.execute(HTTPClientRequest(
            method: .put, url: server.baseURL + "/bucket/key.mp4",
            headers: [("Content-Type", "video/mp4"), ("x-amz-content-sha256", String(repeating: "a", count: 64))],
            body: Array("video".utf8), awsSigning: signing))

        let request = try #require(seen.withLock { $0 })
        let authorization = try #require(request.header("authorization"))
        #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDTEST/"))
        #expect(authorization.contains("/eu-west-3/s3/aws4_request, "))
        #expect(authorization.contains("SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, "))
        #expect(authorization.range(of: "Signature=[0-9a-f]{64}$", options: .regularExpression) != nil)
        #expect(request.header("x-amz-date")?.count == 16)
        #expect(request.header("expect") == nil)
        #expect(!request.headers.contains { $0.1.contains("very/secret+key") })
        #expect(!"\(signing)".contains("very/secret+key"))
    }
}
