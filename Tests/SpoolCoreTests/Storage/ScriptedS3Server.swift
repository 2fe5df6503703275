import Foundation
import SpoolHTTP
import SpoolTestSupport
import Synchronization

@testable import SpoolCore

/// A real HTTP server standing in for an S3 bucket whose answers a test scripts, for the failures moto cannot
/// be asked to produce (`SlowDown`, a part refused). It records every request as `METHOD target`.
final class ScriptedS3Server: Sendable {
    /// Decides the answer to the request and is told how many requests came before it.
    typealias Script = @Sendable (_ request: HTTPRequest, _ index: Int) -> HTTPResponse

    /// The requests received so far, shared with the route handlers.
    private final class Log: Sendable {
        let requests = Mutex<[String]>([])
    }

    private let server: HTTPServer
    private let log: Log

    init(_ script: @escaping Script) throws {
        let log = Log()
        self.log = log
        let handler = HTTPHandler.async { request in
            let index = log.requests.withLock { requests in
                requests.append("\(request.method.rawValue) \(request.target)")
                return requests.count - 1
            }
            return script(request, index)
        }
        var router = Router()
        for method: HTTPMethod in [.get, .put, .post, .delete] { router.add(method, "/{bucket}/{key}", handler) }
        var configuration = HTTPServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.eventLoopCount = 1
        server = HTTPServer(configuration: configuration, router: router, logger: quietLogger("scripted-s3"))
        try server.start()
    }

    var requests: [String] { log.requests.withLock { $0 } }

    /// A storage on bucket `spool-test` of this server; files of `multipartThreshold` bytes or more go in parts
    /// of `partSize`.
    func storage(
        staging: String, attempts: Int, multipartThreshold: Int = 1 << 30, partSize: Int = 1 << 20
    ) throws -> S3FileStorage {
        var settings = S3StorageSettings()
        settings.endpoint = "http://127.0.0.1:\(server.port)"
        settings.bucket = "spool-test"
        settings.pathStyle = true
        settings.multipartThresholdBytes = multipartThreshold
        settings.partSizeBytes = partSize
        return try S3FileStorage(
            settings: settings, credentials: S3Credentials(accessKeyID: "AKIDTEST", secretAccessKey: "secret"),
            stagingDirectory: staging, retry: S3RetryPolicy(attempts: attempts, baseDelay: .milliseconds(10)),
            logger: quietLogger("s3"))
    }

    func stop() async { await server.shutdown() }

    /// An S3 error document with `status`.
    static func error(_ status: Int, _ code: String, _ message: String) -> HTTPResponse {
        HTTPResponse(
            status: HTTPStatus(code: status), headers: ["Content-Type": "application/xml"],
            body: .bytes(Array("<Error><Code>\(code)</Code><Message>\(message)</Message></Error>".utf8)))
    }

    static func ok(_ body: String = "", headers: HTTPHeaders = [:]) -> HTTPResponse {
        HTTPResponse(status: .ok, headers: headers, body: .bytes(Array(body.utf8)))
    }
}
