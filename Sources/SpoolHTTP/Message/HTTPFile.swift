#if canImport(Glibc)
import Glibc
#endif

/// A regular file opened for a response body (`HTTPBody.file`). It owns its descriptor, which closes when the
/// last reference goes (after the response was sent, or the connection closed). Opening before answering means
/// the size in the headers is the size of the very file sent, even if its path is replaced or deleted meanwhile.
package final class HTTPFile: Sendable {
    package let descriptor: Int32
    /// The file's size when it was opened.
    package let size: Int64

    /// Opens `path` for reading. Throws `HTTPFileError` when it is missing, unreadable or not a regular file.
    package init(path: String) throws(HTTPFileError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw HTTPFileError(path: path, errno: errno) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & UInt32(S_IFMT)) == UInt32(S_IFREG) else {
            let code = errno
            Glibc.close(fd)
            throw HTTPFileError(path: path, errno: code == 0 ? EISDIR : code)
        }
        descriptor = fd
        size = Int64(info.st_size)
    }

    deinit { Glibc.close(descriptor) }
}

/// A file that could not be opened for a response.
package struct HTTPFileError: Error, Sendable, CustomStringConvertible {
    package let path: String
    package let errno: Int32

    /// The file is not there (or a folder on its path is not).
    package var isMissing: Bool { errno == ENOENT || errno == ENOTDIR }

    package var description: String { "cannot open \(path): \(String(cString: strerror(errno)))" }
}
