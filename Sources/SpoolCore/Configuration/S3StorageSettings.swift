/// Which storage keeps the output files (`SpoolSettings`, `storage.backend`).
package enum StorageBackendKind: String, Sendable, Equatable, CaseIterable {
    /// A folder on this machine (or a shared mount).
    case local
    /// An S3-compatible object store, configured by `S3StorageSettings`.
    case s3
}

/// The S3-compatible store, as its settings (`storage.s3.*` in `SpoolSettings`) describe it, and the key pair,
/// read from the environment only (`credentialsSetting`).
package struct S3StorageSettings: Sendable, Equatable {
    /// S3's smallest part, and so the smallest threshold and part size allowed.
    package static let minimumPartSize = 5 * 1024 * 1024

    /// `scheme://host[:port]`; nil is AWS's regional endpoint, `https://s3.REGION.amazonaws.com`.
    package var endpoint: String?
    package var bucket: String?
    package var region = "us-east-1"
    /// `https://host/bucket/key` rather than `https://bucket.host/key`; local servers (MinIO, moto) need it.
    package var pathStyle = false
    /// Files of this size or more go up as a multipart upload. Default 64 MiB.
    package var multipartThresholdBytes = 64 * 1024 * 1024
    /// The size of each part of a multipart upload (the last one is smaller). Default 16 MiB.
    package var partSizeBytes = 16 * 1024 * 1024
    /// From the environment only; nil until both keys are set.
    package var credentials: S3Credentials?

    package init() {}

    /// The key pair and session token, read together from the environment (never from a file): the credentials
    /// are set only when both keys are.
    static let credentialsSetting = Setting<SpoolConfiguration>(
        environment: ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"], kindName: "text",
        whenUnset: "none (required with `s3`)", secret: true,
        "the S3 key pair (both or neither), and the session token of temporary credentials (sent as "
            + "`x-amz-security-token`); never read from a file",
        read: { value, configuration in
            guard let id = value("AWS_ACCESS_KEY_ID"), let secret = value("AWS_SECRET_ACCESS_KEY") else { return }
            configuration.s3Storage.credentials = S3Credentials(
                accessKeyID: id, secretAccessKey: secret, sessionToken: value("AWS_SESSION_TOKEN"))
        },
        current: { $0.s3Storage.credentials?.description })

    /// With the S3 backend: a bucket, the keys, an http(s) endpoint and parts S3 accepts.
    static func validate(_ configuration: SpoolConfiguration) throws(ConfigurationError) {
        guard configuration.storageBackend == .s3 else { return }
        let settings = configuration.s3Storage
        guard settings.bucket != nil else {
            throw ConfigurationError("storage.backend is s3 but no bucket is set (storage.s3.bucket, SPOOL_STORAGE_S3_BUCKET)")
        }
        guard settings.credentials != nil else {
            throw ConfigurationError("storage.backend is s3 but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set")
        }
        if let endpoint = settings.endpoint, !(endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://")) {
            throw ConfigurationError("storage.s3.endpoint must start with http:// or https://, not \(endpoint)")
        }
        guard settings.partSizeBytes >= minimumPartSize, settings.multipartThresholdBytes >= minimumPartSize else {
            throw ConfigurationError(
                "storage.s3.part_size_bytes and multipart_threshold_bytes must be at least \(minimumPartSize) (5 MiB)")
        }
    }
}
