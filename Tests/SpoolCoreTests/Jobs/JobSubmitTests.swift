import SpoolJSON
import Testing
@testable import SpoolCore

@Suite("Submitting jobs: validation, idempotency, auth and teams")
struct JobSubmitTests {
    @Test("every problem in a body is reported at once, with field paths, and nothing is stored")
    func allProblemsAtOnce() async throws {
        try await withGateway { spool in
            let key = try await spool.key(team: "marketing")
            let bad: JSONValue = ["prompt": "hi @Image2", "duration": 16, "aspect_ratio": "4:3", "input_image": ["https://x.example/a.png"]]
            let answer = try await spool.request(.post, "/v1/jobs", key: key, json: submission(bad, extra: ["priority": 500]))
            #expect(answer.status == 422)
            #expect(answer.json["error"]?["code"]?.stringValue == "validation_failed")
            let fields = Set(answer.json["error"]?["details"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? [])
            #expect(fields.isSuperset(of: ["priority", "input.duration", "input.aspect_ratio"]))
            #expect(fields.contains { $0.hasPrefix("input.prompt") })
            let list = try await spool.request(.get, "/v1/jobs", key: key)
            #expect(list.json["data"]?.arrayValue?.isEmpty == true)
        }
    }

    @Test("an unknown model is 422 unknown_model; invalid JSON is 400 invalid_json")
    func unknownModelAndBadJSON() async throws {
        try await withGateway { spool in
            let key = try await spool.key(team: "marketing")
            let unknown = try await spool.request(.post, "/v1/jobs", key: key, json: ["model": "nope", "input": ["prompt": "x"]])
            #expect(unknown.status == 422)
            #expect(unknown.json["error"]?["code"]?.stringValue == "unknown_model")
            let broken = try await spool.request(.post, "/v1/jobs", key: key, body: Array("{\"model\":".utf8))
            #expect(broken.status == 400)
            #expect(broken.json["error"]?["code"]?.stringValue == "invalid_json")
        }
    }

    @Test("webhook URLs to private addresses are refused unless allowed; unknown event names too")
    func webhookURLChecks() async throws {
        try await withGateway(configure: { $0.webhooks.allowPrivate = false }) { spool in
            let key = try await spool.key(team: "marketing")
            for url in ["http://127.0.0.1:9/x", "http://10.1.2.3/x", "http://169.254.169.254/latest", "ftp://example.com/x",
                        "https://user:pw@example.com/x", "http://localhost/x"] {
                let answer = try await spool.request(.post, "/v1/jobs", key: key, json: submission(extra: ["webhook_url": .string(url)]))
                #expect(answer.status == 422, "\(url)")
                #expect(answer.json["error"]?["details"]?.arrayValue?.first?["field"]?.stringValue == "webhook_url")
            }
            let events = try await spool.request(.post, "/v1/jobs", key: key, json: submission(extra: [
                "webhook_url": "https://hooks.example.com/x", "webhook_events": ["job.done"]]))
            #expect(events.status == 422)
        }
    }

    @Test("the same Idempotency-Key and body returns the original job with 200; a different body is 409")
    func idempotency() async throws {
        try await withGateway { spool in
            let key = try await spool.key(team: "marketing")
            let first = try await spool.request(.post, "/v1/jobs", key: key, json: submission(), headers: [("Idempotency-Key", "abc-1")])
            #expect(first.status == 202)
            let again = try await spool.request(.post, "/v1/jobs", key: key, json: submission(), headers: [("Idempotency-Key", "abc-1")])
            #expect(again.status == 200)
            #expect(again.json["id"] == first.json["id"])
            var changed = exampleInput.objectValue!
            changed["duration"] = 10
            let conflict = try await spool.request(
                .post, "/v1/jobs", key: key, json: submission(.object(changed)), headers: [("Idempotency-Key", "abc-1")])
            #expect(conflict.status == 409)
            #expect(conflict.json["error"]?["code"]?.stringValue == "idempotency_conflict")
            // Another team's identical key is its own.
            let other = try await spool.key(team: "research")
            let theirs = try await spool.request(.post, "/v1/jobs", key: other, json: submission(), headers: [("Idempotency-Key", "abc-1")])
            #expect(theirs.status == 202)
            #expect(theirs.json["id"] != first.json["id"])
            let list = try await spool.request(.get, "/v1/jobs", key: key)
            #expect(list.json["data"]?.arrayValue?.count == 1)
        }
    }

    @Test("missing, malformed, unknown and revoked keys get 401 unauthorized")
    func authentication() async throws {
        try await withGateway { spool in
            for headers in [[], [("Authorization", "Basic abc")], [("Authorization", "Bearer spool_nope")]] {
                let answer = try await spool.request(.get, "/v1/jobs", headers: headers)
                #expect(answer.status == 401)
                #expect(answer.json["error"]?["code"]?.stringValue == "unauthorized")
            }
            let key = try await spool.key(team: "marketing")
            #expect(try await spool.request(.get, "/v1/jobs", key: key).status == 200)
            let keyID = try #require(APIKeySecret.keyID(of: key))
            _ = try await spool.gateway.store.revokeKey(keyID)
            try await spool.gateway.authenticator.reload()
            #expect(try await spool.request(.get, "/v1/jobs", key: key).status == 401)
        }
    }

    @Test("a team never sees another team's jobs: 404 on read, absent from lists; admins see all and filter by team")
    func teamIsolation() async throws {
        try await withGateway { spool in
            let marketing = try await spool.key(team: "marketing")
            let research = try await spool.key(team: "research")
            let admin = try await spool.key(team: "ops", admin: true)
            let id = try #require(try await spool.request(.post, "/v1/jobs", key: marketing, json: submission()).json["id"]?.stringValue)
            _ = try await spool.request(.post, "/v1/jobs", key: research, json: submission())

            for path in ["/v1/jobs/\(id)", "/v1/jobs/\(id)/result", "/v1/jobs/\(id)/events"] {
                let answer = try await spool.request(.get, path, key: research)
                #expect(answer.status == 404, "\(path)")
                #expect(answer.json["error"]?["code"]?.stringValue == "not_found")
            }
            #expect(try await spool.request(.post, "/v1/jobs/\(id)/cancel", key: research).status == 404)
            let theirs = try await spool.request(.get, "/v1/jobs", key: research).json["data"]?.arrayValue ?? []
            #expect(theirs.count == 1 && theirs.allSatisfy { $0["team"]?.stringValue == "research" })
            #expect(try await spool.request(.get, "/v1/jobs?team=marketing", key: research).status == 422)

            #expect(try await spool.request(.get, "/v1/jobs/\(id)", key: admin).status == 200)
            #expect(try await spool.request(.get, "/v1/jobs", key: admin).json["data"]?.arrayValue?.count == 2)
            let filtered = try await spool.request(.get, "/v1/jobs?team=marketing", key: admin).json["data"]?.arrayValue ?? []
            #expect(filtered.count == 1 && filtered[0]["id"]?.stringValue == id)
            #expect(try await spool.request(.get, "/v1/queue", key: marketing).status == 403)
            #expect(try await spool.request(.get, "/v1/queue", key: admin).status == 200)
        }
    }

    @Test("listing pages newest first with a cursor and filters by status and model")
    func listing() async throws {
        try await withGateway(configure: { $0.dispatch.maxInflight = 1 }, simulate: { $0.runSeconds = 30 }) { spool in
            let key = try await spool.key(team: "marketing")
            var ids: [String] = []
            for _ in 0..<5 {
                ids.append(try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue))
            }
            let page1 = try await spool.request(.get, "/v1/jobs?limit=2", key: key).json
            #expect(page1["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [ids[4], ids[3]])
            #expect(page1["data"]?.arrayValue?.first?["history"] == nil)
            let cursor = try #require(page1["next_cursor"]?.stringValue)
            let page2 = try await spool.request(.get, "/v1/jobs?limit=2&cursor=\(cursor)", key: key).json
            #expect(page2["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [ids[2], ids[1]])
            let page3 = try await spool.request(.get, "/v1/jobs?limit=2&cursor=\(page2["next_cursor"]!.stringValue!)", key: key).json
            #expect(page3["data"]?.arrayValue?.count == 1)
            #expect(page3["next_cursor"] == .null)
            let queued = try await spool.request(.get, "/v1/jobs?status=queued", key: key).json["data"]?.arrayValue ?? []
            #expect(queued.count >= 3 && queued.allSatisfy { $0["status"]?.stringValue == "queued" })
            #expect(try await spool.request(.get, "/v1/jobs?limit=0", key: key).status == 422)
            #expect(try await spool.request(.get, "/v1/jobs?model=other", key: key).json["data"]?.arrayValue?.isEmpty == true)
        }
    }
}
