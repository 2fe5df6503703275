/// Why an S3 operation failed, with what the store said: its error code (`NoSuchBucket`, `AccessDenied`,
/// `SlowDown`, …) and message, or the transport failure when no answer came.
package struct S3Error: Error, Sendable, Equatable, CustomStringConvertible {
    /// The S3 operation, as AWS names it (`PutObject`, `UploadPart`, `DeleteObject`, …), or `ReadStagingFile`.
    package var operation: String
    /// The object key, when the operation has one.
    package var key: String?
    /// The HTTP status of the answer; nil when there was none (connection failure, timeout) or no request at all.
    package var status: Int?
    /// S3's error code, or `ConnectionFailed`, `RequestNotSent`, `InvalidConfiguration`, `LocalFileError` for failures on this side.
    package var code: String
    package var message: String

    package init(operation: String, key: String?, status: Int?, code: String, message: String) {
        self.operation = operation
        self.key = key
        self.status = status
        self.code = code
        self.message = message
    }

    /// A setting that cannot work, found before any request.
    static func configuration(_ message: String) -> S3Error {
        S3Error(operation: "Configure", key: nil, status: nil, code: "InvalidConfiguration", message: message)
    }

    /// Whether trying again later may succeed: server errors, throttling, timeouts and connection faults.
    package var isTransient: Bool {
        if code == "ConnectionFailed" { return true }
        if Self.transientCodes.contains(code) { return true }
        guard let status else { return false }
        return status >= 500 || status == 429
    }

    private static let transientCodes: Set<String> = ["SlowDown", "InternalError", "ServiceUnavailable", "RequestTimeout"]

    package var description: String {
        let object = key.map { " of \($0.debugDescription)" } ?? ""
        let answer = status.map { "HTTP \($0), " } ?? ""
        return "S3 \(operation)\(object) failed (\(answer)\(code)): \(message)"
    }
}
