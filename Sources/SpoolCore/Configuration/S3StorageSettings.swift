/// Which storage keeps the output files: `storage.backend`, `SPOOL_STORAGE_BACKEND`.
public enum StorageBackendKind: String, Sendable, Equatable {
    /// A folder on this machine (or a shared mount).
    case local
    /// An S3-compatible object store, configured by `S3StorageSettings`.
    case s3
}

/// The S3-compatible store: `storage.s3.*` in the file, `SPOOL_STORAGE_S3_*` in the environment, and the keys
/// from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` (never from a file).
public struct S3StorageSettings: Sendable, Equatable {
    /// S3's smallest part, and so the smallest threshold and part size allowed.
    public static let minimumPartSize = 5 * 1024 * 1024

    /// `scheme://host[:port]`; nil is AWS's regional endpoint, `https://s3.REGION.amazonaws.com`.
    public var endpoint: String?
    public var bucket: String?
    public var region = "us-east-1"
    /// `https://host/bucket/key` rather than `https://bucket.host/key`; local servers (MinIO, moto) need it.
    public var pathStyle = false
    /// Files of this size or more go up as a multipart upload. Default 64 MiB.
    public var multipartThresholdBytes = 64 * 1024 * 1024
    /// The size of each part of a multipart upload (the last one is smaller). Default 16 MiB.
    public var partSizeBytes = 16 * 1024 * 1024
    /// From the environment only; nil until `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` are both set.
    public var credentials: S3Credentials?

    public init() {}

    /// Reads `backend` and the `s3` section of the file's `storage` object.
    static func read(
        _ storage: inout SectionReader, into configuration: inout SpoolConfiguration
    ) throws(ConfigurationError) {
        var backend: String?
        try storage.string("backend") { backend = $0 }
        if let backend { configuration.storageBackend = try parseBackend(backend, setting: "storage.backend") }
        try storage.section("s3") { (s3: inout SectionReader) throws(ConfigurationError) in
            try s3.optionalString("endpoint") { configuration.s3Storage.endpoint = $0 }
            try s3.optionalString("bucket") { configuration.s3Storage.bucket = $0 }
            try s3.string("region") { configuration.s3Storage.region = $0 }
            try s3.bool("path_style") { configuration.s3Storage.pathStyle = $0 }
            try s3.integer("multipart_threshold_bytes") { configuration.s3Storage.multipartThresholdBytes = $0 }
            try s3.integer("part_size_bytes") { configuration.s3Storage.partSizeBytes = $0 }
        }
    }

    /// Applies `SPOOL_STORAGE_BACKEND`, `SPOOL_STORAGE_S3_*` and the `AWS_*` keys.
    static func apply(
        environment: [String: String], to configuration: inout SpoolConfiguration
    ) throws(ConfigurationError) {
        func value(_ name: String) -> String? {
            guard let text = environment[name]?.trimmingCharacters(in: " \t"), !text.isEmpty else { return nil }
            return text
        }
        if let text = value("SPOOL_STORAGE_BACKEND") {
            configuration.storageBackend = try parseBackend(text, setting: "SPOOL_STORAGE_BACKEND")
        }
        if let text = value("SPOOL_STORAGE_S3_ENDPOINT") { configuration.s3Storage.endpoint = text }
        if let text = value("SPOOL_STORAGE_S3_BUCKET") { configuration.s3Storage.bucket = text }
        if let text = value("SPOOL_STORAGE_S3_REGION") { configuration.s3Storage.region = text }
        if let id = value("AWS_ACCESS_KEY_ID"), let secret = value("AWS_SECRET_ACCESS_KEY") {
            configuration.s3Storage.credentials = S3Credentials(
                accessKeyID: id, secretAccessKey: secret, sessionToken: value("AWS_SESSION_TOKEN"))
        }
    }

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

    private static func parseBackend(_ text: String, setting: String) throws(ConfigurationError) -> StorageBackendKind {
        guard let kind = StorageBackendKind(rawValue: text.lowercased()) else {
            throw ConfigurationError("\(setting) must be local or s3, not \(text)")
        }
        return kind
    }
}
