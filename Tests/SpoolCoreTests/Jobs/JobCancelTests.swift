import SpoolJSON
import Testing
@testable import SpoolCore

@Suite("Cancelling jobs in every state")
struct JobCancelTests {
    @Test("a queued job is cancelled at once and never reaches fal")
    func cancelQueued() async throws {
        try await withGateway(configure: { $0.dispatch.maxInflight = 1 }, simulate: { $0.runSeconds = 30 }) { spool in
            let key = try await spool.key(team: "marketing")
            let first = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            _ = try await spool.waitForJob(first, key: key) { $0["status"]?.stringValue == "in_progress" }
            let second = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            let answer = try await spool.request(.post, "/v1/jobs/\(second)/cancel", key: key)
            #expect(answer.status == 202)
            #expect(answer.json["status"]?.stringValue == "cancelled")
            #expect(answer.json["error"]?["code"]?.stringValue == "cancelled")
            let job = try await spool.request(.get, "/v1/jobs/\(second)", key: key).json
            #expect(job["fal_request_id"] == .null)
            #expect(job["history"]?.arrayValue?.compactMap { $0["status"]?.stringValue } == ["queued", "cancelled"])
        }
    }

    @Test("jobs at fal (in_queue and in_progress) are cancelled at fal first")
    func cancelAtFal() async throws {
        try await withGateway(simulate: {
            $0.concurrency = 1
            $0.runSeconds = 30
        }) { spool in
            let key = try await spool.key(team: "marketing")
            let running = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            _ = try await spool.waitForJob(running, key: key) { $0["status"]?.stringValue == "in_progress" }
            let waiting = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            _ = try await spool.waitForJob(waiting, key: key) { $0["status"]?.stringValue == "in_queue" }

            for id in [waiting, running] {
                let answer = try await spool.request(.post, "/v1/jobs/\(id)/cancel", key: key)
                #expect(answer.status == 202)
                #expect(answer.json["status"]?.stringValue == "cancelled")
            }
            let cancels = spool.simulator.requestLog().filter { $0.method == "PUT" && $0.path.hasSuffix("/cancel") }
            #expect(cancels.count == 2)
        }
    }

    @Test("cancelling a finished job is 409 already_terminal; an unknown job is 404")
    func cancelTerminal() async throws {
        try await withGateway { spool in
            let key = try await spool.key(team: "marketing")
            let id = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            _ = try await spool.waitUntilTerminal(id, key: key)
            let answer = try await spool.request(.post, "/v1/jobs/\(id)/cancel", key: key)
            #expect(answer.status == 409)
            #expect(answer.json["error"]?["code"]?.stringValue == "already_terminal")
            #expect(try await spool.request(.post, "/v1/jobs/job_00000000000000000000000000/cancel", key: key).status == 404)
        }
    }

    @Test("/result answers 409 not_completed naming the status, with the error of a failed job")
    func resultBeforeCompletion() async throws {
        try await withGateway(configure: { $0.dispatch.maxInflight = 1 }, simulate: { $0.runSeconds = 30 }) { spool in
            let key = try await spool.key(team: "marketing")
            let id = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            let early = try await spool.request(.get, "/v1/jobs/\(id)/result", key: key)
            #expect(early.status == 409)
            #expect(early.json["error"]?["code"]?.stringValue == "not_completed")
            _ = try await spool.request(.post, "/v1/jobs/\(id)/cancel", key: key)
            let late = try await spool.request(.get, "/v1/jobs/\(id)/result", key: key)
            #expect(late.json["error"]?["message"]?.stringValue?.contains("cancelled") == true)
            #expect(late.json["error"]?["job_error"]?["code"]?.stringValue == "cancelled")
        }
    }
}
