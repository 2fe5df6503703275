import SpoolHTTP

#if canImport(Glibc)
import Glibc
#endif

/// Reads a staging file piece by piece at given offsets, so that an upload holds one part in memory at a time.
final class StagedFileReader: Sendable {
    let path: String
    private let descriptor: Int32

    init(path: String) throws(SystemCallError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SystemCallError(call: "open", errno: errno, subject: path) }
        self.path = path
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// `count` bytes from `offset`; fewer only where the file ends first.
    func read(offset: Int64, count: Int) throws(SystemCallError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = bytes.withUnsafeMutableBytes { buffer in
                pread(descriptor, buffer.baseAddress! + filled, count - filled, off_t(offset) + off_t(filled))
            }
            if got == 0 { break }
            if got < 0 {
                if errno == EINTR { continue }
                throw SystemCallError(call: "pread", errno: errno, subject: path)
            }
            filled += got
        }
        return filled == count ? bytes : Array(bytes[..<filled])
    }
}
