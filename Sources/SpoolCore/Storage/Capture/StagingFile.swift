import Crypto
#if canImport(Glibc)
import Glibc
#endif

/// A download in progress in the storage's staging folder. Bytes are appended as they arrive and hashed on the
/// way; nothing is held in memory. Its name is fixed per job and file, so a later process finds the bytes a
/// stopped one received and resumes after them (they are read back once to rebuild the digest, not fetched again).
final class StagingFile {
    let path: String
    private var fd: Int32
    /// Bytes in the file.
    private(set) var size: Int64 = 0
    private(set) var hasher = SHA256()

    /// Opens (or creates) the staging file and hashes what it already holds.
    init(path: String) throws(StorageError) {
        self.path = path
        fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StorageError.system("create the staging file") }
        try hashExisting()
    }

    deinit { close() }

    /// Hashes the bytes a previous process left (as many as `fstat` says the file holds).
    private func hashExisting() throws(StorageError) {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw StorageError.system("read the staging file") }
        let existing = Int64(info.st_size)
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        var offset: Int64 = 0
        while offset < existing {
            let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(offset)) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw StorageError.system("read the staging file") }
            if count == 0 { break }
            hasher.update(data: buffer[0..<count])
            offset += Int64(count)
        }
        size = offset
    }

    /// Appends `bytes` (all of them, or throws).
    func append(_ bytes: [UInt8]) throws(StorageError) {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw StorageError.system("write the staging file") }
            written += count
        }
        hasher.update(data: bytes)
        size += Int64(bytes.count)
    }

    /// Drops every byte (the source answered with the whole file after all).
    func truncate() throws(StorageError) {
        guard ftruncate(fd, 0) == 0 else { throw StorageError.system("truncate the staging file") }
        size = 0
        hasher = SHA256()
    }

    /// Flushes the bytes to disk.
    func sync() throws(StorageError) {
        guard fsync(fd) == 0 else { throw StorageError.system("sync the staging file") }
    }

    /// The digest of every byte, in lower-case hex.
    var sha256: String {
        hasher.finalize().map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
    }

    func close() {
        guard fd >= 0 else { return }
        Glibc.close(fd)
        fd = -1
    }
}

extension StagingFile {
    /// The staging file of one job's file: a fixed name, so that a later process finds it.
    static func path(in folder: String, jobID: String, name: String) -> String {
        folder + "/" + jobID + "--" + name + ".part"
    }

    static func remove(_ path: String) {
        _ = unlink(path)
    }
}
