import Foundation
import SpoolHTTP
import SpoolTestSupport
import Testing

@testable import SpoolCore

/// How the S3 backend meets a store that fails: transient answers (`503 SlowDown`) and connection faults are tried
/// again with backoff, up to the policy's attempts; a multipart upload that fails is aborted.
@Suite("S3 faults")
struct S3FaultTests {
    @Test("a PutObject answered SlowDown twice succeeds on the third try")
    func slowDownRetried() async throws {
        let store = try ScriptedS3Server { _, index in
            index < 2 ? ScriptedS3Server.error(503, "SlowDown", "Please reduce your request rate.") : ScriptedS3Server.ok()
        }
        let staging = try TemporaryDirectory()
        let storage = try store.storage(staging: staging.path, attempts: 5)
        let staged = try stageFile(patternedBytes(64), in: staging.path)

        try await storage.store(stagedFile: staged, key: "retry.mp4", contentType: "video/mp4", size: 64)

        #expect(store.requests == Array(repeating: "PUT /spool-test/retry.mp4", count: 3))
        await store.stop()
    }

    @Test("a store that keeps answering SlowDown fails after the policy's attempts, with S3's code and message")
    func slowDownGivesUp() async throws {
        let store = try ScriptedS3Server { _, _ in ScriptedS3Server.error(503, "SlowDown", "Please reduce your request rate.") }
        let staging = try TemporaryDirectory()
        let storage = try store.storage(staging: staging.path, attempts: 3)
        let staged = try stageFile(patternedBytes(64), in: staging.path)

        let error = await #expect(throws: S3Error.self) {
            try await storage.store(stagedFile: staged, key: "retry.mp4", contentType: "video/mp4", size: 64)
        }

        #expect(error?.code == "SlowDown")
        #expect(error?.status == 503)
        #expect(error?.message == "Please reduce your request rate.")
        #expect(store.requests.count == 3)
        #expect(!FileManager.default.fileExists(atPath: staged))
        await store.stop()
    }

    @Test("a store nobody listens on fails with ConnectionFailed after the policy's attempts")
    func connectionRefused() async throws {
        let store = try ScriptedS3Server { _, _ in ScriptedS3Server.ok() }
        let staging = try TemporaryDirectory()
        let storage = try store.storage(staging: staging.path, attempts: 2)
        await store.stop()
        let staged = try stageFile(patternedBytes(64), in: staging.path)

        let error = await #expect(throws: S3Error.self) {
            try await storage.store(stagedFile: staged, key: "gone.mp4", contentType: "video/mp4", size: 64)
        }

        #expect(error?.code == "ConnectionFailed")
        #expect(error?.isTransient == true)
    }

    @Test("a staging file shorter than announced is a LocalFileError, nothing is sent, and the file is gone")
    func shortStagingFile() async throws {
        let store = try ScriptedS3Server { _, _ in ScriptedS3Server.ok() }
        let staging = try TemporaryDirectory()
        let storage = try store.storage(staging: staging.path, attempts: 3)
        let staged = try stageFile(patternedBytes(64), in: staging.path)

        let error = await #expect(throws: S3Error.self) {
            try await storage.store(stagedFile: staged, key: "short.mp4", contentType: "video/mp4", size: 100)
        }

        #expect(error?.code == "LocalFileError")
        #expect(store.requests.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: staged))
        await store.stop()
    }

    @Test("a multipart upload whose part is refused is aborted, and the error is the part's")
    func failedMultipartAborted() async throws {
        let store = try ScriptedS3Server { request, _ in
            switch (request.method, request.target) {
            case (.post, let target) where target.hasSuffix("?uploads="):
                return ScriptedS3Server.ok("<InitiateMultipartUploadResult><UploadId>up+1/x</UploadId></InitiateMultipartUploadResult>")
            case (.put, let target) where target.contains("partNumber=1&"):
                return ScriptedS3Server.ok(headers: ["ETag": "\"part-1\""])
            case (.put, _):
                return ScriptedS3Server.error(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum.")
            default:
                return HTTPResponse(status: HTTPStatus(code: 204))
            }
        }
        let staging = try TemporaryDirectory()
        let storage = try store.storage(staging: staging.path, attempts: 3, multipartThreshold: 1000, partSize: 400)
        let staged = try stageFile(patternedBytes(1000), in: staging.path)

        let error = await #expect(throws: S3Error.self) {
            try await storage.store(stagedFile: staged, key: "parts.mp4", contentType: "video/mp4", size: 1000)
        }

        #expect(error?.code == "EntityTooSmall")
        #expect(error?.operation == "UploadPart")
        #expect(store.requests == [
            "POST /spool-test/parts.mp4?uploads=",
            "PUT /spool-test/parts.mp4?partNumber=1&uploadId=up%2B1%2Fx",
            "PUT /spool-test/parts.mp4?partNumber=2&uploadId=up%2B1%2Fx",
            "DELETE /spool-test/parts.mp4?uploadId=up%2B1%2Fx",
        ])
        await store.stop()
    }
}
