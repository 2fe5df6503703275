import Foundation
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

    /// Where a copy of job `jobID`'s output file `name` is staged while it downloads.
    func stagingPath(of jobID: String, name: String = "output.mp4") -> String {
        StagingFile.path(in: storageFolder + "/.staging", jobID: jobID, name: name)
    }

    /// How many bytes of job `jobID`'s output file `name` are staged now (0 when none are).
    func stagedBytes(of jobID: String, name: String = "output.mp4") -> Int {
        (try? FileManager.default.attributesOfItem(atPath: stagingPath(of: jobID, name: name))[.size] as? Int) ?? 0
    }

    /// Reads job `id` until its answer is in the read cache (a read that overlaps a change to any job is not kept),
    /// for at most 10 s; returns the last answer.
    func readUntilCached(_ id: String, key: String) async throws -> Response {
        let deadline = ContinuousClock.now + .seconds(10)
        while true {
            let answer = try await request(.get, "/v1/jobs/\(id)", key: key)
            if gateway.jobReadCache.contains(id) || ContinuousClock.now > deadline { return answer }
        }
    }
}

extension JSONValue {
    /// The first entry of a job object's `files`.
    var firstFile: JSONValue? { self["files"]?.arrayValue?.first }
}
