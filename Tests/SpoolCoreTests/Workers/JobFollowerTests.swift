import SpoolFal
import SpoolJSON
import SpoolStore
import Testing
@testable import SpoolCore

/// The paths by which a job at fal could lose its follower, each driven end to end: a real gateway, the emulator
/// over sockets, a real SQLite file.
@Suite("No job at fal is left without a follower")
struct JobFollowerTests {
    @Test("a cancel fal answered 503 is asked again by the job's poller until fal takes it")
    func pendingCancelReachesThePoller() async throws {
        // Faults on cancel calls only, one draw each from the seeded plan: with seed 3 the first draw (0.11) is under
        // the 503 rate and the second (0.70) is not, so the caller's cancel gets a 503 and the next one succeeds.
        try await withGateway(simulate: {
            $0.runSeconds = 600
            $0.faultOperations = [.cancel]
            $0.fail5xxRate = 0.5
            $0.seed = 3
        }) { spool in
            let key = try await spool.key(team: "marketing")
            let id = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            _ = try await spool.waitForJob(id, key: key) { $0["status"]?.stringValue == "in_progress" }

            let answer = try await spool.request(.post, "/v1/jobs/\(id)/cancel", key: key)
            #expect(answer.status == 202)
            #expect(answer.json["status"]?.stringValue == "in_progress")
            // The run would go on for ten minutes: only the poller asking fal again ends it.
            let job = try await spool.waitUntilTerminal(id, key: key)
            #expect(job["status"]?.stringValue == "cancelled")
            let cancels = spool.simulator.requestLog().filter { $0.method == "PUT" && $0.path.hasSuffix("/cancel") }
            #expect(cancels.count == 2)
        }
    }

    @Test("a run fal ended for a cancel Spool could not record (it stopped right after) ends cancelled, not failed")
    func cancelledAtFal() async throws {
        try await withGateway(simulate: { $0.runSeconds = 600 }) { spool in
            let key = try await spool.key(team: "marketing")
            let id = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            _ = try await spool.waitForJob(id, key: key) { $0["status"]?.stringValue == "in_progress" }
            // The cancel a process sent just before it was killed: fal took it, the job was never marked.
            let cancelURL = try #require(try await spool.gateway.database.read { connection in
                try connection.queryScalar("SELECT fal_cancel_url FROM jobs WHERE id = ?", .text(id), as: String.self)
            })
            let fal = FalQueueClient(baseURL: spool.simulator.baseURL, key: "test-fal-key", httpClient: spool.client)
            #expect(try await fal.cancel(cancelURL: cancelURL) == .cancellationRequested)

            let job = try await spool.waitUntilTerminal(id, key: key)
            #expect(job["status"]?.stringValue == "cancelled")
            #expect(job["error"]?["code"]?.stringValue == JobError.cancelled)
        }
    }

    @Test("a poll whose write loses its compare-and-set keeps following the job from where it stands")
    func lostWriteKeepsFollowing() async throws {
        try await withGateway(simulate: {
            $0.queueSeconds = 0
            $0.runSeconds = 2
        }) { spool in
            let key = try await spool.key(team: "marketing")
            let id = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            _ = try await spool.waitForJob(id, key: key) { $0["status"]?.stringValue == "in_progress" }
            // Another path moves the stored job under the poller (here by hand): the poller's copy says in_progress, so
            // its write of the result expects in_progress and changes nothing.
            let moved = try await spool.gateway.database.write { connection in
                try connection.run("UPDATE jobs SET status = 'in_queue' WHERE id = ? AND status = 'in_progress'", .text(id))
            }
            #expect(moved == 1)

            let job = try await spool.waitUntilTerminal(id, key: key)
            #expect(job["status"]?.stringValue == "completed")
            #expect(job["result"] != .null)
            // Finished by its own poller: the rescuer (the net under a dropped follower) had nothing to do.
            let samples = try await OperationsTests.scrape(spool)
            #expect(OperationsTests.value(samples, "spool_jobs_rescued_total", ["action": "followed"]) == 0)
        }
    }
}
