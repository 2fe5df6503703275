import Foundation
import SpoolTestSupport
import SpoolCore
import SpoolJSON

/// moto's S3-compatible server (`Tests/python/s3_server.py`) on an ephemeral port, started at most once per test
/// process for each mode. It reads its standard input until end of file; the only writer is a descriptor of this
/// process that is never closed and never inherited (close-on-exec), so the server ends with the test process.
struct S3TestServer: Sendable {
    let endpoint: String
    let bucket: String
    let credentials: S3Credentials
    /// Temporary credentials (with a session token) of a role the user assumed; only when checking signatures.
    let sessionCredentials: S3Credentials?

    /// moto's default mode: serves presigned URLs, checks no signature.
    static let open = Task { try await start(checkingSignatures: false) }
    /// moto's authentication on: every request needs a valid header signature with `credentials`.
    static let checkingSignatures = Task { try await start(checkingSignatures: true) }

    /// Settings for a bucket of this server (`bucket` by default), path-style, with S3's smallest parts and the
    /// server's long-term keys.
    func settings(bucket: String? = nil) -> S3StorageSettings {
        var settings = S3StorageSettings()
        settings.credentials = credentials
        settings.endpoint = endpoint
        settings.bucket = bucket ?? self.bucket
        settings.pathStyle = true
        settings.multipartThresholdBytes = S3StorageSettings.minimumPartSize
        settings.partSizeBytes = S3StorageSettings.minimumPartSize
        return settings
    }

    private static func start(checkingSignatures: Bool) async throws -> S3TestServer {
        guard FileManager.default.isExecutableFile(atPath: PythonReceiver.python) else {
            throw PythonReceiver.PythonMissing()
        }
        let line = try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try spawn(checkingSignatures: checkingSignatures) })
            }
        }
        guard let info = try? JSONValue(parsing: Array(line.utf8)).objectValue,
            let endpoint = info["endpoint"]?.stringValue, let bucket = info["bucket"]?.stringValue,
            let id = info["access_key_id"]?.stringValue, let secret = info["secret_access_key"]?.stringValue
        else { throw StartFailed(output: line) }
        let session = info["session"]?.objectValue
        return S3TestServer(
            endpoint: endpoint, bucket: bucket,
            credentials: S3Credentials(accessKeyID: id, secretAccessKey: secret),
            sessionCredentials: session.flatMap { session in
                guard let id = session["access_key_id"]?.stringValue,
                    let secret = session["secret_access_key"]?.stringValue, let token = session["token"]?.stringValue
                else { return nil }
                return S3Credentials(accessKeyID: id, secretAccessKey: secret, sessionToken: token)
            })
    }

    /// Starts the script and returns the first line it prints (blocking: run off the cooperative threads).
    private static func spawn(checkingSignatures: Bool) throws -> String {
        var input: [Int32] = [0, 0], output: [Int32] = [0, 0]
        guard pipe(&input) == 0, pipe(&output) == 0 else { throw POSIXError(.EMFILE) }
        // Glibc's pipe2 is not visible to Swift here; a child spawned by another test in this instant could
        // inherit these ends, which would only keep the server alive until that child ends.
        for descriptor in input + output { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("spool-s3-server-\(getpid()).log").path
        let arguments = [RepositoryPaths.root + "/Tests/python/s3_server.py"]
            + (checkingSignatures ? ["--check-signatures"] : [])
        _ = try Spawn.start(PythonReceiver.python, arguments, environment: ProcessInfo.processInfo.environment) {
            posix_spawn_file_actions_adddup2(&$0, input[0], 0)
            posix_spawn_file_actions_adddup2(&$0, output[1], 1)
            posix_spawn_file_actions_addopen(&$0, 2, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        }
        close(input[0])
        close(output[1])
        defer { close(output[0]) }
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while read(output[0], &byte, 1) == 1, byte != UInt8(ascii: "\n") { line.append(byte) }
        // input[1] stays open for the life of the process: closing it is what stops the server.
        return String(decoding: line, as: UTF8.self)
    }

    struct StartFailed: Error, CustomStringConvertible {
        var output: String
        var description: String {
            "s3_server.py did not start (it printed \(output.debugDescription); its stderr is in the temporary folder)"
        }
    }
}
