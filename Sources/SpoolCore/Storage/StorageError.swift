#if canImport(Glibc)
import Glibc
#endif

/// A storage operation that failed, with the system's reason: what a file entry's `reason` and the log line say.
package struct StorageError: Error, Sendable, CustomStringConvertible {
    /// What was being done (`create the staging file`, `store`, …).
    package let operation: String
    /// The errno, when a system call failed.
    package let code: Int32?
    package let message: String

    package init(_ operation: String, code: Int32? = nil, message: String) {
        self.operation = operation
        self.code = code
        self.message = message
    }

    /// The failed call's errno, described as the C library does.
    static func system(_ operation: String, errno code: Int32 = errno) -> StorageError {
        StorageError(operation, code: code, message: String(cString: strerror(code)))
    }

    /// The disk (or the quota) is full.
    package var isFull: Bool { code == ENOSPC || code == EDQUOT }

    package var description: String {
        isFull ? "storage is full: cannot \(operation) (\(message))" : "cannot \(operation): \(message)"
    }
}
