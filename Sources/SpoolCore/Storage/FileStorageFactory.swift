/// Picks the storage backend the configuration asks for. The local folder is the only one so far; an S3
/// backend is chosen here too once `storage.s3` is configured.
public func makeFileStorage(configuration: SpoolConfiguration) throws(StorageError) -> any FileStorage {
    try LocalFileStorage(
        root: configuration.storage.folder(database: configuration.database), shared: configuration.storage.shared)
}
