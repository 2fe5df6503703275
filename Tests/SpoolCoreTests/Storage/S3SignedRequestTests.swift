import Foundation
import SpoolTestSupport
import Testing

@testable import SpoolCore

/// The requests Spool signs through libcurl (`CURLOPT_AWS_SIGV4`), sent to moto with its authentication on, so
/// that every one of them is checked against a signature botocore computes on the server side.
@Suite("S3 signed requests")
struct S3SignedRequestTests {
    @Test("a server that checks signatures accepts PutObject, a multipart upload, HeadObject and DeleteObject")
    func headerSigningAccepted() async throws {
        let server = try await S3TestServer.checkingSignatures.value
        let staging = try TemporaryDirectory()
        let storage = try S3FileStorage(
            settings: server.settings(), stagingDirectory: staging.path,
            logger: quietLogger("s3"))
        let prefix = "signed/\(UUID().uuidString)/clip été"
        for (name, size) in [("small.mp4", 4096), ("large.mp4", StorageUnderTest.largeFileSize)] {
            let key = "\(prefix)/\(name)"
            let staged = try stageFile(patternedBytes(size), in: staging.path)
            try await storage.store(stagedFile: staged, key: key, contentType: "video/mp4", size: Int64(size))

            let head = try await storage.client.send(S3Request(operation: "HeadObject", method: .head, key: key))
            #expect(head.headers["content-length"] == String(size))
            #expect(head.headers["content-type"] == "video/mp4")

            try await storage.delete(key: key)
            await #expect(throws: S3Error.self) {
                try await storage.client.send(S3Request(operation: "HeadObject", method: .head, key: key))
            }
        }
    }

    @Test("a storage built from the loaded configuration signs with the keys of the environment")
    func fromConfiguration() async throws {
        let server = try await S3TestServer.checkingSignatures.value
        let configuration = try ConfigurationLoader.load(file: nil, environment: [
            "SPOOL_STORAGE_BACKEND": "s3", "SPOOL_STORAGE_S3_ENDPOINT": server.endpoint,
            "SPOOL_STORAGE_S3_BUCKET": server.bucket, "AWS_ACCESS_KEY_ID": server.credentials.accessKeyID,
            "AWS_SECRET_ACCESS_KEY": server.credentials.secretAccessKey,
        ])
        var settings = configuration.s3Storage
        settings.pathStyle = true
        let staging = try TemporaryDirectory()
        let storage = try S3FileStorage(settings: settings, stagingDirectory: staging.path, logger: quietLogger("s3"))
        let key = "signed/\(UUID().uuidString)/configured.mp4"

        try await storage.store(
            stagedFile: try stageFile(patternedBytes(100), in: staging.path), key: key, contentType: "video/mp4",
            size: 100)

        let head = try await storage.client.send(S3Request(operation: "HeadObject", method: .head, key: key))
        #expect(head.headers["content-length"] == "100")
        var keyless = configuration.s3Storage
        keyless.credentials = nil
        let error = #expect(throws: S3Error.self) {
            try S3FileStorage(settings: keyless, stagingDirectory: staging.path)
        }
        #expect(error?.code == "InvalidConfiguration")
    }

    @Test("a wrong secret is refused with S3's SignatureDoesNotMatch, at once, and the staging file is gone")
    func wrongSecretRefused() async throws {
        let server = try await S3TestServer.checkingSignatures.value
        let staging = try TemporaryDirectory()
        var credentials = server.credentials
        credentials.secretAccessKey += "x"
        let storage = try S3FileStorage(
            settings: server.settings(), credentials: credentials, stagingDirectory: staging.path,
            retry: S3RetryPolicy(attempts: 5, baseDelay: .seconds(30)), logger: quietLogger("s3"))
        let staged = try stageFile(patternedBytes(100), in: staging.path)

        let error = await #expect(throws: S3Error.self) {
            try await storage.store(stagedFile: staged, key: "signed/wrong.mp4", contentType: "video/mp4", size: 100)
        }

        #expect(error?.status == 403)
        #expect(error?.code == "SignatureDoesNotMatch")
        #expect(error?.isTransient == false)
        #expect(error.map { !"\($0)".contains(credentials.secretAccessKey) } == true)
        #expect(!FileManager.default.fileExists(atPath: staged))
    }

    @Test("temporary credentials are accepted with their session token, and refused with another one")
    func sessionToken() async throws {
        let server = try await S3TestServer.checkingSignatures.value
        let session = try #require(server.sessionCredentials)
        let staging = try TemporaryDirectory()
        let key = "signed/\(UUID().uuidString)/session.mp4"
        let storage = try S3FileStorage(
            settings: server.settings(), credentials: session, stagingDirectory: staging.path,
            logger: quietLogger("s3"))
        try await storage.store(
            stagedFile: try stageFile(patternedBytes(100), in: staging.path), key: key, contentType: "video/mp4",
            size: 100)
        try await storage.delete(key: key)

        var forged = session
        forged.sessionToken = String(session.sessionToken!.reversed())
        let refused = try S3FileStorage(
            settings: server.settings(), credentials: forged, stagingDirectory: staging.path,
            logger: quietLogger("s3"))
        let error = await #expect(throws: S3Error.self) {
            try await refused.store(
                stagedFile: try stageFile(patternedBytes(100), in: staging.path), key: key, contentType: "video/mp4",
                size: 100)
        }
        #expect(error?.code == "InvalidToken")
    }

    @Test("a missing bucket is an error that carries S3's NoSuchBucket code and message")
    func missingBucket() async throws {
        let server = try await S3TestServer.open.value
        let staging = try TemporaryDirectory()
        let storage = try S3FileStorage(
            settings: server.settings(bucket: "spool-no-such-bucket"), stagingDirectory: staging.path,
            logger: quietLogger("s3"))
        let staged = try stageFile(patternedBytes(100), in: staging.path)

        let error = await #expect(throws: S3Error.self) {
            try await storage.store(stagedFile: staged, key: "missing/a.mp4", contentType: "video/mp4", size: 100)
        }

        #expect(error?.code == "NoSuchBucket")
        #expect(error?.status == 404)
        #expect(error?.operation == "PutObject")
        #expect(error.map { !$0.message.isEmpty && "\($0)".contains("NoSuchBucket") } == true)
    }
}
