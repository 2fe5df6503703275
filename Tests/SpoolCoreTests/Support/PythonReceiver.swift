import Foundation
import SpoolFal
import SpoolJSON

/// `Tests/python/webhook_receiver.py` running in the project's virtualenv: a webhook receiver that checks every
/// signature with the `standardwebhooks` package, an implementation independent of Spool's.
final class PythonReceiver: Sendable {
    let port: Int
    private let process: Process
    private let client = HTTPClient()

    static var python: String { RepositoryPaths.root + "/.venv/bin/python" }

    /// Starts the receiver on `port` (0: any free port).
    init(port: Int = 0) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.python) else {
            throw PythonMissing()
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.python)
        process.arguments = [RepositoryPaths.root + "/Tests/python/webhook_receiver.py", String(port)]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var line: [UInt8] = []
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            guard let first = byte.first else { break }
            if first == UInt8(ascii: "\n") { break }
            line.append(first)
        }
        guard let bound = Int(String(decoding: line, as: UTF8.self)) else {
            process.terminate()
            throw PythonMissing()
        }
        self.port = bound
        self.process = process
    }

    struct PythonMissing: Error, CustomStringConvertible {
        var description: String { "the test virtualenv is missing: run scripts/python-env.sh (make test does)" }
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
        let deadline = ContinuousClock.now + .seconds(seconds)
        var got = try await received()
        while got.count < count, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            got = try await received()
        }
        return got
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
        client.shutdown()
    }
}
