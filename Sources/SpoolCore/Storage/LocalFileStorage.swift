#if canImport(Glibc)
import Glibc
#endif

/// The default backend: a folder on this machine (`storage.path`, by default `files/` beside the database).
///
/// A file is stored by renaming a complete, fsynced staging file from `.staging/` (inside the same folder, so on
/// the same filesystem) to `<job id>/<name>`, then fsyncing that folder, so that after a crash a key either
/// holds the whole file or nothing. Keys are checked by `StorageKey`, so none can point outside the folder.
/// Several replicas may share the folder only when it is a shared mount declared with `storage.shared`.
package struct LocalFileStorage: FileStorage {
    package let kind = "local"
    package let root: String
    package let stagingDirectory: String
    package let isSharedAcrossReplicas: Bool

    /// Creates the folder and its staging folder when missing.
    package init(root: String, shared: Bool) throws(StorageError) {
        self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
        self.stagingDirectory = self.root + "/.staging"
        self.isSharedAcrossReplicas = shared
        try Self.makeDirectories(stagingDirectory)
    }

    package func store(stagedFile: String, key: String, contentType: String, size: Int64) async throws {
        defer { _ = unlink(stagedFile) }
        let target = try path(of: key)
        let folder = String(target[..<target.lastIndex(of: "/")!])
        try Self.makeDirectories(folder)
        try Self.fsync(path: stagedFile, operation: "sync the staged file")
        guard rename(stagedFile, target) == 0 else { throw StorageError.system("store \(key)") }
        try Self.fsync(path: folder, operation: "sync the folder of \(key)")
    }

    package func location(of key: String, expiresIn: Duration) async throws -> StoredObjectLocation {
        .localFile(path: try path(of: key))
    }

    package func delete(key: String) async throws {
        let target = try path(of: key)
        guard unlink(target) == 0 || errno == ENOENT else { throw StorageError.system("delete \(key)") }
        // The job's folder goes with its last file; a folder that still holds one stays (ENOTEMPTY).
        _ = rmdir(String(target[..<target.lastIndex(of: "/")!]))
    }

    /// The file of `key`: only keys that `StorageKey` accepts have one.
    func path(of key: String) throws(StorageError) -> String {
        guard StorageKey.isValid(key), key.contains("/") else {
            throw StorageError("use the key \(key)", message: "not a valid storage key")
        }
        return root + "/" + key
    }

    /// `mkdir -p`.
    static func makeDirectories(_ path: String) throws(StorageError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += part
            if mkdir(prefix, 0o755) != 0, errno != EEXIST { throw StorageError.system("create the folder \(prefix)") }
            prefix += "/"
        }
    }

    static func fsync(path: String, operation: String) throws(StorageError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StorageError.system(operation) }
        defer { close(fd) }
        guard Glibc.fsync(fd) == 0 else { throw StorageError.system(operation) }
    }
}
