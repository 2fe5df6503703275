import Foundation
import SpoolFal
import SpoolJSON
import SpoolTestSupport
import Testing
@testable import SpoolCore

@Suite("Stored files: copying through faults")
struct CaptureFaultTests {
    @Test("a download that fal cuts midway is resumed with Range and completes, byte for byte")
    func cutDownloadResumes() async throws {
        let size = 3 * 1024 * 1024
        try await withGateway(simulate: {
            $0.outputFileBytes = size
            $0.fileCutAfterBytes = 1024 * 1024
        }) { spool in
            let key = try await spool.key(team: "marketing")
            let job = try await spool.completedJob(key: key)
            let file = try #require(job.firstFile)
            #expect(file["stored"] == true, "\(file)")
            #expect(file["size"]?.integerValue == Int64(size))
            // Every answer of the emulator that starts at byte 0 is cut: only resuming after the cut finishes a copy.
            // The original, in two ranges that are not cut: its first byte, and the rest.
            let source = try #require(file["source_url"]?.stringValue)
            let client = HTTPClient(configuration: HTTPClientConfiguration(maxResponseBytes: 1 << 30))
            defer { client.shutdown() }
            var original = try await client.execute(HTTPClientRequest(url: source, headers: [("Range", "bytes=0-0")])).body
            original += try await client.execute(HTTPClientRequest(url: source, headers: [("Range", "bytes=1-")])).body
            #expect(original.count == size)
            let served = try await spool.request(.get, try #require(file["url"]?.stringValue), key: key)
            #expect(served.body == original)
            #expect(file["sha256"]?.stringValue == SHA256Hex.of(original))
        }
    }

    @Test("a gateway stopped in the middle of a copy resumes it on restart, from the bytes already received")
    func restartResumes() async throws {
        let size = 6 * 1024 * 1024
        let cut = 2 * 1024 * 1024
        let directory = try TemporaryDirectory()
        let first = try await TestGateway.start(directory: directory, simulate: {
            $0.outputFileBytes = size
            $0.fileCutAfterBytes = cut
        })
        try await withCleanup {
            let key = try await first.key(team: "marketing")
            let id = try #require(try await first.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            // The first window is cut after `cut` bytes; the copy then backs off before resuming: stop it there.
            try await eventually("the copy reaches the cut", within: .seconds(30)) { first.stagedBytes(of: id) >= cut }
            await first.gateway.shutdown()
            let stateAtStop = try await first.gateway.database.read { connection in
                (try connection.queryScalar("SELECT status FROM jobs WHERE id = ?", .text(id), as: String.self),
                 try connection.queryScalar("SELECT state FROM job_files WHERE job_id = ?", .text(id), as: String.self))
            }
            #expect(["in_queue", "in_progress"].contains(stateAtStop.0 ?? ""))
            #expect(stateAtStop.1 == "pending")

            try await withGateway(directory: directory, configure: {
                $0.fal.queueURL = first.simulator.baseURL
            }) { second in
                let job = try await second.waitUntilTerminal(id, key: key)
                #expect(job["status"]?.stringValue == "completed")
                let file = try #require(job.firstFile)
                #expect(file["stored"] == true, "\(file)")
                let served = try await second.request(.get, try #require(file["url"]?.stringValue), key: key)
                #expect(served.body.count == size)
                #expect(file["sha256"]?.stringValue == SHA256Hex.of(served.body))
                #expect(!FileManager.default.fileExists(atPath: first.stagingPath(of: id)))
            }
        } cleanup: {
            await first.simulator.shutdown()
        }
    }

    @Test("a file over storage.max_file_bytes is not stored: the job completes with fal's URL and the file says why")
    func tooLarge() async throws {
        try await withGateway(configure: { $0.storage.maxFileBytes = 1000 }) { spool in
            let key = try await spool.key(team: "marketing")
            let job = try await spool.completedJob(key: key)
            #expect(job["status"]?.stringValue == "completed")
            let file = try #require(job.firstFile)
            #expect(file["stored"] == false)
            #expect(file["reason"]?.stringValue?.contains("max_file_bytes") == true, "\(file)")
            #expect(job["result"]?["video"]?["url"] == file["source_url"])
            #expect(try await spool.request(.get, try #require(file["url"]?.stringValue), key: key).status == 404)
        }
    }

    @Test("a full disk: the job completes with fal's URL, and the file entry says storage is full")
    func fullDisk() async throws {
        try await withGateway(simulate: { $0.runSeconds = 1.5 }) { spool in
            let key = try await spool.key(team: "marketing")
            let id = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            // The copy's staging file leads to /dev/full, where every write fails with ENOSPC, as on a full disk.
            try FileManager.default.createSymbolicLink(atPath: spool.stagingPath(of: id), withDestinationPath: "/dev/full")
            let job = try await spool.waitUntilTerminal(id, key: key)
            #expect(job["status"]?.stringValue == "completed")
            let file = try #require(job.firstFile)
            #expect(file["stored"] == false)
            #expect(file["reason"]?.stringValue?.hasPrefix("storage is full") == true, "\(file)")
            #expect(job["result"]?["video"]?["url"] == file["source_url"])
        }
    }

    @Test("for a team with delete_fal_copy, fal's copy is deleted once the files are stored; other teams' stay")
    func deletesFalCopy() async throws {
        try await withGateway(configure: { configuration in
            configuration.teams.overrides["private"] = SpoolConfiguration.TeamLimits(deleteFalCopy: true)
            configuration.fal.apiURL = configuration.fal.queueURL  // fal's platform API is the emulator too
        }) { spool in
            let privateKey = try await spool.key(team: "private")
            let publicKey = try await spool.key(team: "marketing")
            let kept = try await spool.completedJob(key: publicKey)
            let deleted = try await spool.completedJob(key: privateKey)
            #expect(deleted.firstFile?["stored"] == true)
            let requestID = try #require(deleted["fal_request_id"]?.stringValue)
            try await eventually("fal is asked to delete the payloads", within: .seconds(30)) {
                spool.simulator.requestLog().contains {
                    $0.method == "DELETE" && $0.path == "/v1/models/requests/\(requestID)/payloads"
                }
            }
            #expect(spool.simulator.requestLog().filter { $0.method == "DELETE" && $0.path.hasSuffix("/payloads") }.count == 1)
            // fal's copy is gone; Spool's serves.
            let source = try #require(deleted.firstFile?["source_url"]?.stringValue)
            let client = HTTPClient()
            defer { client.shutdown() }
            #expect(try await client.execute(HTTPClientRequest(url: source)).status == 404)
            #expect(try await spool.request(.get, try #require(deleted.firstFile?["url"]?.stringValue), key: privateKey).status == 200)
            let keptSource = try #require(kept.firstFile?["source_url"]?.stringValue)
            #expect(try await client.execute(HTTPClientRequest(url: keptSource)).status == 200)
        }
    }

    @Test("the retention sweep deletes expired files: they answer 410, say expired, and leave the usage count")
    func retention() async throws {
        try await withGateway(configure: {
            $0.storage.retentionDays = 1.0 / 86_400  // one second
            $0.storage.sweepIntervalSeconds = 0.05
        }) { spool in
            let key = try await spool.key(team: "marketing")
            let job = try await spool.completedJob(key: key)
            let id = try #require(job["id"]?.stringValue)
            let file = try #require(job.firstFile)
            // Stored with an expiry (on a busy machine the sweep may already have come by).
            #expect(file["sha256"]?.stringValue != nil)
            #expect(file["expires_at"]?.stringValue != nil)
            let expired = try await spool.waitForJob(id, key: key) { $0.firstFile?["reason"]?.stringValue == "expired" }
            #expect(expired.firstFile?["stored"] == false)
            let gone = try await spool.request(.get, try #require(file["url"]?.stringValue), key: key)
            #expect(gone.status == 410)
            #expect(gone.json["error"]?["code"]?.stringValue == "gone")
            #expect(!FileManager.default.fileExists(atPath: spool.storageFolder + "/\(id)/output.mp4"))
            #expect(try await spool.request(.get, "/v1/usage", key: key).json["stored_bytes"] == 0)
        }
    }

    @Test("bytes stored are counted per team in /v1/usage and in /metrics")
    func storedBytes() async throws {
        try await withGateway { spool in
            let key = try await spool.key(team: "marketing")
            let other = try await spool.key(team: "sales")
            let admin = try await spool.key(team: "ops", admin: true)
            let first = try await spool.completedJob(key: key)
            let second = try await spool.completedJob(key: key)
            _ = try await spool.completedJob(key: other)
            let bytes = [first, second].compactMap { $0.firstFile?["size"]?.integerValue }.reduce(0, +)
            #expect(bytes > 0)
            #expect(try await spool.request(.get, "/v1/usage", key: key).json["stored_bytes"]?.integerValue == bytes)
            let all = try await spool.request(.get, "/v1/usage", key: admin).json["stored_bytes"]?.integerValue ?? 0
            #expect(all > bytes)
            let metrics = try await spool.request(.get, "/metrics").text
            #expect(metrics.contains("spool_stored_bytes{team=\"marketing\"} \(bytes)"))
            #expect(metrics.contains("spool_file_captures_total{outcome=\"stored\"} 3"))
        }
    }
}
