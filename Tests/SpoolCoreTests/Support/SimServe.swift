import Foundation
import SpoolFal
import SpoolJSON
import SpoolTestSupport

/// `spool serve --sim`, the built binary, run as a user runs it: from `directory` (its database lands in
/// `data/` there), with the development admin key, its output in `directory/<logName>`.
final class SimServe: Sendable {
    static let binary = RepositoryPaths.root + "/.build/debug/spool"
    static let adminKey = "spool-dev-admin-key"
    static var isBuilt: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    let process: BackgroundProcess
    let baseURL: String

    /// Starts the server on `port` with its emulator on `simPort`, `arguments` added, and waits until /healthz
    /// answers.
    init(
        in directory: String, port: Int, simPort: Int, arguments: [String] = [], logName: String = "serve.log",
        client: HTTPClient
    ) async throws {
        process = try BackgroundProcess(
            Self.binary, ["serve", "--sim", "--sim-port", "\(simPort)"] + arguments,
            environment: ["SPOOL_LISTEN": "127.0.0.1:\(port)", "SPOOL_ADMIN_KEY": Self.adminKey, "PATH": "/usr/bin:/bin"],
            logPath: directory + "/" + logName, directory: directory)
        baseURL = "http://127.0.0.1:\(port)"
        do {
            try await eventually("spool serve --sim answers /healthz", within: .seconds(30)) { [baseURL] in
                (try? await client.execute(HTTPClientRequest(url: baseURL + "/healthz")))?.status == 200
            }
        } catch {
            process.stop()
            throw error
        }
    }

    /// `METHOD path` with the admin key, and a JSON body when given; the answer's status and JSON.
    func request(
        _ method: HTTPClientRequest.Method, _ path: String, json: JSONValue? = nil, client: HTTPClient
    ) async throws -> (status: Int, json: JSONValue) {
        var headers = [("Authorization", "Bearer \(Self.adminKey)")]
        if json != nil { headers.append(("Content-Type", "application/json")) }
        let response = try await client.execute(
            HTTPClientRequest(method: method, url: baseURL + path, headers: headers, body: json?.serialized()))
        return (response.status, (try? JSONValue(parsing: response.body)) ?? .null)
    }

    /// Submits `body` and waits until the job ends; returns the job as it ended.
    func runJob(_ body: JSONValue, client: HTTPClient) async throws -> JSONValue {
        let submitted = try await request(.post, "/v1/jobs", json: body, client: client)
        guard let id = submitted.json["id"]?.stringValue else { throw TestFailure("no job id in \(submitted)") }
        var job: JSONValue = .null
        try await eventually("job \(id) ends", within: .seconds(90)) {
            job = try await request(.get, "/v1/jobs/" + id, client: client).json
            return ["completed", "failed", "cancelled"].contains(job["status"]?.stringValue ?? "")
        }
        return job
    }

    /// Sends SIGTERM and waits for the process to exit; returns its exit status.
    @discardableResult
    func stop() -> Int32 { process.stop() }

    var log: String { process.log }
}
