import SpoolJSON
import SpoolTestSupport
import Testing
@testable import SpoolCore

@Suite("fal failures: errors, storms, deadlines and a refused key")
struct JobFailureTests {
    @Test("a run that fails at fal ends the job failed with fal's detail")
    func runFailure() async throws {
        try await withGateway(simulate: { $0.runErrorRate = 1 }) { spool in
            let key = try await spool.key(team: "marketing")
            let id = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            let job = try await spool.waitUntilTerminal(id, key: key)
            #expect(job["status"]?.stringValue == "failed")
            let code = job["error"]?["code"]?.stringValue
            #expect(code == "upstream_error" || code == "upstream_validation")
        }
    }

    @Test("5xx storms, 429s and dropped connections at submit are retried until the jobs complete",
          arguments: ["5xx", "429", "drop"])
    func transientStorms(_ kind: String) async throws {
        try await withGateway(
            configure: { $0.dispatch.maxAttempts = 30 },
            simulate: {
                switch kind {
                case "5xx": $0.fail5xxRate = 0.5
                case "429": $0.fail429Rate = 0.5
                default: $0.dropRate = 0.4
                }
                $0.seed = 7
            }) { spool in
            let key = try await spool.key(team: "marketing")
            var ids: [String] = []
            for _ in 0..<6 {
                ids.append(try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue))
            }
            for id in ids {
                let job = try await spool.waitUntilTerminal(id, key: key, seconds: 60)
                #expect(job["status"]?.stringValue == "completed", "\(id): \(job["error"] ?? .null)")
            }
        }
    }

    @Test("a submit that keeps failing ends failed with retries_exhausted after the configured attempts")
    func retriesExhausted() async throws {
        try await withGateway(configure: { $0.dispatch.maxAttempts = 3 }, simulate: { $0.fail5xxRate = 1 }) { spool in
            let key = try await spool.key(team: "marketing")
            let id = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            let job = try await spool.waitUntilTerminal(id, key: key)
            #expect(job["status"]?.stringValue == "failed")
            #expect(job["error"]?["code"]?.stringValue == "retries_exhausted")
            #expect(job["attempts"]?.integerValue == 3)
            let statuses = job["history"]?.arrayValue?.compactMap { $0["status"]?.stringValue } ?? []
            #expect(statuses.filter { $0 == "submitting" }.count == 3)
        }
    }

    @Test("a deadline cancels the job at fal and ends it failed with deadline_exceeded")
    func deadline() async throws {
        try await withGateway(simulate: { $0.runSeconds = 30 }) { spool in
            let key = try await spool.key(team: "marketing")
            let id = try #require(try await spool.request(
                .post, "/v1/jobs", key: key, json: submission(extra: ["deadline_seconds": 1])).json["id"]?.stringValue)
            let job = try await spool.waitUntilTerminal(id, key: key)
            #expect(job["status"]?.stringValue == "failed")
            #expect(job["error"]?["code"]?.stringValue == "deadline_exceeded")
            #expect(spool.simulator.requestLog().contains { $0.method == "PUT" && $0.path.hasSuffix("/cancel") })
        }
    }

    @Test("fal refusing the key pauses dispatch: jobs stay queued and /readyz says why")
    func refusedKey() async throws {
        try await withGateway(simulate: { $0.expectedKey = "the-right-key" }) { spool in
            let key = try await spool.key(team: "marketing")
            let id = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            let ready = try await lastRead({ try await spool.request(.get, "/readyz") }, until: { $0.status != 200 })
            #expect(ready.status == 503)
            #expect(ready.text.contains("401"))
            let job = try await spool.request(.get, "/v1/jobs/\(id)", key: key).json
            #expect(job["status"]?.stringValue == "queued")
            #expect(job["error"] == .null)
        }
    }
}
