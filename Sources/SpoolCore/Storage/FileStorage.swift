/// Where Spool keeps the output files it copies from fal: a local folder (the default) or an S3-compatible bucket.
///
/// Capture never writes into the storage directly. It streams a download into a staging file on local disk
/// (hashing on the way, checking the size, fsyncing), and only a complete, verified file is handed to
/// `store(stagedFile:key:contentType:size:)`. So a half-downloaded file never appears under its final key on
/// either backend, and a restart only ever finds stale staging files, which are safe to delete.
package protocol FileStorage: Sendable {
    /// A short name for logs, metrics and `/readyz`: `local` or `s3`.
    var kind: String { get }

    /// The folder for staging files. For a local folder it is on the same filesystem as the stored files,
    /// so that storing is a rename.
    var stagingDirectory: String { get }

    /// Whether every replica sharing the database also sees these files (S3, or a folder declared shared).
    /// `/readyz` on a PostgreSQL cluster reports a storage that is not.
    var isSharedAcrossReplicas: Bool { get }

    /// Moves a complete staging file under `key`. The staging file is gone afterwards, whether or not this throws.
    func store(stagedFile: String, key: String, contentType: String, size: Int64) async throws

    /// How to serve the object stored under `key` to a caller allowed to read it.
    func location(of key: String, expiresIn: Duration) async throws -> StoredObjectLocation

    /// Deletes the object under `key`; deleting an object that is not there is not an error.
    func delete(key: String) async throws
}

/// How a stored object reaches a reader.
package enum StoredObjectLocation: Sendable, Equatable {
    /// A file on this machine's disk, streamed by Spool itself (ranges served from the file).
    case localFile(path: String)
    /// A presigned URL of the object store that the caller is redirected to; the store serves ranges itself,
    /// and the bytes never pass through the gateway.
    case redirect(url: String)
}
