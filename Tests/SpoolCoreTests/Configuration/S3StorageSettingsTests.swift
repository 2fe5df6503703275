import Foundation
import SpoolTestSupport
import Testing

@testable import SpoolCore

@Suite("Configuration: S3 storage")
struct S3StorageSettingsTests {
    static let keys = ["AWS_ACCESS_KEY_ID": "AKIDTEST", "AWS_SECRET_ACCESS_KEY": "s3cr3t/value+x"]

    func load(file text: String?, environment: [String: String]) throws -> SpoolConfiguration {
        guard let text else { return try ConfigurationLoader.load(file: nil, environment: environment) }
        let directory = try TemporaryDirectory()
        try writeFile(directory.path + "/spool.json", text)
        return try ConfigurationLoader.load(file: directory.path + "/spool.json", environment: environment)
    }

    @Test("storage.backend and storage.s3 are read from the file, and the keys from the environment")
    func fileAndKeys() throws {
        let loaded = try load(file: """
            {"storage": {"backend": "s3", "s3": {"endpoint": "http://127.0.0.1:9000", "bucket": "videos",
             "region": "eu-west-3", "path_style": true, "multipart_threshold_bytes": 10485760,
             "part_size_bytes": 5242880}}}
            """, environment: Self.keys.merging(["AWS_SESSION_TOKEN": "tok"]) { $1 })
        #expect(loaded.storageBackend == .s3)
        #expect(loaded.s3Storage.endpoint == "http://127.0.0.1:9000")
        #expect(loaded.s3Storage.bucket == "videos")
        #expect(loaded.s3Storage.region == "eu-west-3")
        #expect(loaded.s3Storage.pathStyle)
        #expect(loaded.s3Storage.multipartThresholdBytes == 10_485_760)
        #expect(loaded.s3Storage.partSizeBytes == 5_242_880)
        #expect(loaded.s3Storage.credentials
            == S3Credentials(accessKeyID: "AKIDTEST", secretAccessKey: "s3cr3t/value+x", sessionToken: "tok"))
    }

    @Test("the SPOOL_STORAGE_* variables override the file")
    func environmentOverrides() throws {
        let loaded = try load(file: #"{"storage": {"backend": "local", "s3": {"bucket": "a"}}}"#, environment: Self.keys.merging([
            "SPOOL_STORAGE_BACKEND": "S3", "SPOOL_STORAGE_S3_ENDPOINT": "https://minio.internal:9000",
            "SPOOL_STORAGE_S3_BUCKET": "b", "SPOOL_STORAGE_S3_REGION": "auto",
        ]) { $1 })
        #expect(loaded.storageBackend == .s3)
        #expect(loaded.s3Storage.endpoint == "https://minio.internal:9000")
        #expect(loaded.s3Storage.bucket == "b")
        #expect(loaded.s3Storage.region == "auto")
    }

    @Test("the local backend is the default and needs no S3 setting")
    func localDefault() throws {
        let loaded = try load(file: nil, environment: [:])
        #expect(loaded.storageBackend == .local)
        #expect(loaded.s3Storage == S3StorageSettings())
    }

    @Test("keys in the file are refused: they come from the environment only")
    func noKeysInFile() throws {
        #expect(throws: ConfigurationError.self) {
            try load(file: #"{"storage": {"s3": {"bucket": "b", "secret_access_key": "x"}}}"#, environment: [:])
        }
    }

    @Test("the S3 backend without a bucket, without keys, with a bad endpoint or too small parts is refused")
    func validation() throws {
        let environment = Self.keys.merging(["SPOOL_STORAGE_BACKEND": "s3", "SPOOL_STORAGE_S3_BUCKET": "b"]) { $1 }
        #expect(try load(file: nil, environment: environment).storageBackend == .s3)
        for (file, environment, fragment) in [
            (nil, environment.filter { $0.key != "SPOOL_STORAGE_S3_BUCKET" }, "bucket"),
            (nil, environment.filter { $0.key != "AWS_SECRET_ACCESS_KEY" }, "AWS_SECRET_ACCESS_KEY"),
            (nil, environment.merging(["SPOOL_STORAGE_S3_ENDPOINT": "minio:9000"]) { $1 }, "endpoint"),
            (#"{"storage": {"s3": {"part_size_bytes": 1024}}}"#, environment, "part_size_bytes"),
            (nil, environment.merging(["SPOOL_STORAGE_BACKEND": "gcs"]) { $1 }, "local or s3"),
        ] as [(String?, [String: String], String)] {
            let error = #expect(throws: ConfigurationError.self) { try load(file: file, environment: environment) }
            #expect(error?.message.contains(fragment) == true, "\(String(describing: error))")
        }
    }

    @Test("credentials never show their secret or session token when printed")
    func credentialsRedacted() throws {
        let loaded = try load(file: nil, environment: Self.keys.merging(["AWS_SESSION_TOKEN": "tok-123"]) { $1 })
        for text in ["\(loaded)", String(reflecting: loaded), "\(loaded.s3Storage.credentials!)"] {
            #expect(!text.contains("s3cr3t") && !text.contains("tok-123"))
        }
    }
}
