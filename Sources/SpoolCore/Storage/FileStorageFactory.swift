/// Picks the storage backend the configuration asks for (`storage.backend`): the local folder (the default) or an
/// S3-compatible bucket. Downloads are staged on local disk either way, in the local folder's `.staging`.
package func makeFileStorage(configuration: SpoolConfiguration) throws -> any FileStorage {
    let folder = configuration.storage.folder(database: configuration.database)
    switch configuration.storageBackend {
    case .local:
        return try LocalFileStorage(root: folder, shared: configuration.storage.shared)
    case .s3:
        let staging = folder + "/.staging"
        try LocalFileStorage.makeDirectories(staging)
        return try S3FileStorage(settings: configuration.s3Storage, stagingDirectory: staging)
    }
}
