import Foundation
import SpoolFal
import SpoolJSON
import SpoolTestSupport

/// `Tests/python/webhook_receiver.py` running in the project's virtualenv: a webhook receiver that checks every
/// signature with the `standardwebhooks` package, an implementation independent of Spool's.
final class PythonReceiver: Sendable {
    let port: Int
    private let pid: pid_t
    private let client = HTTPClient()

    static var python: String { RepositoryPaths.root + "/.venv/bin/python" }

    /// Starts the receiver on `port` (0: any free port). Spawned with posix_spawn and reaped with waitpid:
    /// Foundation's `Process.waitUntilExit` spins a run loop on a cooperative thread here.
    init(port: Int = 0) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.python) else { throw PythonMissing() }
        let pipe = try Spawn.pipe()
        let arguments = [RepositoryPaths.root + "/Tests/python/webhook_receiver.py", String(port)]
        let child: pid_t
        do {
            child = try Spawn.start(Self.python, arguments, environment: ProcessInfo.processInfo.environment) {
                posix_spawn_file_actions_adddup2(&$0, pipe[1], 1)
                posix_spawn_file_actions_addclose(&$0, pipe[0])
            }
        } catch {
            close(pipe[0])
            close(pipe[1])
            throw error
        }
        close(pipe[1])
        defer { close(pipe[0]) }
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while read(pipe[0], &byte, 1) == 1, byte != UInt8(ascii: "\n") { line.append(byte) }
        guard let bound = Int(String(decoding: line, as: UTF8.self)) else {
            kill(child, SIGKILL)
            _ = Spawn.wait(child)
            throw NoPort(port: port)
        }
        self.port = bound
        self.pid = child
    }

    struct PythonMissing: Error, CustomStringConvertible {
        var description: String { "the test virtualenv is missing: run scripts/python-env.sh (make test does)" }
    }

    /// The script started but never said which port it listens on (for instance, a fixed port already taken).
    struct NoPort: Error, CustomStringConvertible {
        var port: Int
        var description: String { "the webhook receiver did not start on port \(port) (see its stderr above)" }
    }

    var url: String { "http://127.0.0.1:\(port)/hook" }

    func configure(secrets: [String]? = nil, script: [JSONValue]? = nil) async throws {
        var body: JSONObject = [:]
        if let secrets { body["secrets"] = .array(secrets.map(JSONValue.string)) }
        if let script { body["script"] = .array(script) }
        _ = try await client.execute(HTTPClientRequest(
            method: .post, url: "http://127.0.0.1:\(port)/_config", body: JSONValue.object(body).serialized()))
    }

    func received() async throws -> [JSONValue] {
        let response = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/_received"))
        return try JSONValue(parsing: response.body).arrayValue ?? []
    }

    /// Waits until at least `count` deliveries arrived, or `seconds` pass.
    func waitForDeliveries(_ count: Int, seconds: Double = 20) async throws -> [JSONValue] {
        try await lastRead(within: .seconds(seconds), received, until: { $0.count >= count })
    }

    func stop() {
        kill(pid, SIGTERM)
        _ = Spawn.wait(pid)
        client.shutdown()
    }
}
