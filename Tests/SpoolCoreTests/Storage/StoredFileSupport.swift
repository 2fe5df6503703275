import SpoolFal
import SpoolJSON
@testable import SpoolCore

extension TestGateway {
    /// Submits the example job for `key` and waits until it is terminal; returns the job object.
    func completedJob(key: String, seconds: Double = 30) async throws -> JSONValue {
        let submitted = try await request(.post, "/v1/jobs", key: key, json: submission())
        let id = submitted.json["id"]?.stringValue ?? ""
        return try await waitUntilTerminal(id, key: key, seconds: seconds)
    }

    /// The bytes at `url` (the emulator's copy of an output file), fetched whole.
    func download(_ url: String) async throws -> [UInt8] {
        let client = HTTPClient(configuration: HTTPClientConfiguration(totalTimeout: .seconds(60), maxResponseBytes: 1 << 30))
        defer { client.shutdown() }
        return try await client.execute(HTTPClientRequest(url: url)).body
    }

    /// The folder of the local storage backend.
    var storageFolder: String { gateway.configuration.storage.folder(database: gateway.configuration.database) }
}

extension JSONValue {
    /// The first entry of a job object's `files`.
    var firstFile: JSONValue? { self["files"]?.arrayValue?.first }
}
