import Foundation
import Logging
import SpoolFal

/// `FileStorage` on an S3-compatible object store (AWS S3, MinIO, Ceph, R2, …), shared by every replica.
///
/// Storing uploads the staged file with one `PutObject` below the multipart threshold and a multipart upload
/// above it (one part in memory at a time), then deletes the staging file. Readers are redirected to a
/// presigned GET: the store serves the bytes and ranges itself, and the link expires.
package final class S3FileStorage: FileStorage {
    package let kind = "s3"
    package let stagingDirectory: String
    package let isSharedAcrossReplicas = true

    let client: S3Client
    let multipartThreshold: Int64
    let partSize: Int64
    private let clock: @Sendable () -> Int

    /// The store described by `settings`, signing with `credentials` (by default those of the settings, read
    /// from the environment). `stagingDirectory` is a local folder for downloads in progress. `clock` gives the
    /// time presigned URLs are signed at (seconds since 1970).
    package init(
        settings: S3StorageSettings, credentials: S3Credentials? = nil, stagingDirectory: String,
        retry: S3RetryPolicy = .init(), logger: Logger = Logger(label: "spool.storage.s3"),
        clock: @escaping @Sendable () -> Int = { Int(Date().timeIntervalSince1970) }
    ) throws(S3Error) {
        guard let bucket = settings.bucket else { throw S3Error.configuration("storage.s3.bucket is not set") }
        guard let credentials = credentials ?? settings.credentials else {
            throw S3Error.configuration("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set")
        }
        let addressing = try S3Addressing(
            endpoint: settings.endpoint, region: settings.region, bucket: bucket, pathStyle: settings.pathStyle)
        // A transfer may carry a whole part: allow it minutes, not the client's default minute.
        let http = HTTPClient(
            configuration: HTTPClientConfiguration(totalTimeout: .seconds(600)), logger: logger)
        client = S3Client(
            addressing: addressing, region: settings.region, credentials: credentials, http: http, retry: retry,
            logger: logger)
        self.stagingDirectory = stagingDirectory
        multipartThreshold = Int64(settings.multipartThresholdBytes)
        partSize = Int64(settings.partSizeBytes)
        self.clock = clock
    }

    package func store(stagedFile: String, key: String, contentType: String, size: Int64) async throws {
        defer { unlink(stagedFile) }
        let file: StagedFileReader
        do { file = try StagedFileReader(path: stagedFile) } catch {
            throw S3Error(operation: "ReadStagingFile", key: key, status: nil, code: "LocalFileError",
                          message: error.description)
        }
        if size < multipartThreshold {
            let body = try read(file, offset: 0, count: Int(size), key: key)
            _ = try await client.send(S3Request(
                operation: "PutObject", method: .put, key: key, headers: [("Content-Type", contentType)],
                body: body))
        } else {
            try await uploadInParts(file, key: key, contentType: contentType, size: size)
        }
    }

    package func location(of key: String, expiresIn: Duration) async throws -> StoredObjectLocation {
        let (seconds, attoseconds) = expiresIn.components
        let signer = SigV4QuerySigner(credentials: client.credentials, region: client.region)
        let url = signer.presignedGET(
            of: key, at: client.addressing, date: clock(), expiresInSeconds: Int(seconds) + (attoseconds > 0 ? 1 : 0))
        return .redirect(url: url)
    }

    package func delete(key: String) async throws {
        // S3 answers 204 whether or not the object was there.
        _ = try await client.send(S3Request(operation: "DeleteObject", method: .delete, key: key))
    }

    /// `count` bytes of the staged file from `offset`, or an error naming the key when the file is shorter.
    func read(_ file: StagedFileReader, offset: Int64, count: Int, key: String) throws -> [UInt8] {
        let bytes: [UInt8]
        do { bytes = try file.read(offset: offset, count: count) } catch {
            throw S3Error(operation: "ReadStagingFile", key: key, status: nil, code: "LocalFileError",
                          message: error.description)
        }
        guard bytes.count == count else {
            throw S3Error(operation: "ReadStagingFile", key: key, status: nil, code: "LocalFileError",
                          message: "\(file.path) ended after \(offset + Int64(bytes.count)) bytes, expected more")
        }
        return bytes
    }
}
