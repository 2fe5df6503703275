import SpoolFal
import SpoolJSON
import Testing
@testable import SpoolCore

@Suite("fal surface: fal's queue routes answered from Spool's jobs")
struct FalQueueSurfaceTests {
    @Test("submit, status (202 then 200), result with x-fal-request-id; the request id is the team's Spool job")
    func lifecycle() async throws {
        try await withFalSurface { fixture in
            let key = try await fixture.spool.key(team: "marketing")

            let submitted = try await fixture.submit(key: key)
            #expect(submitted.status == 200, "\(submitted.text)")
            let id = try #require(submitted.json["request_id"]?.stringValue)
            #expect(submitted.json["status"]?.stringValue == "IN_QUEUE")
            #expect(submitted.headers["x-fal-request-id"] == id)
            let base = "\(fixture.surfaceURL)/fal-ai/kling-video/requests/\(id)"
            #expect(submitted.json["status_url"]?.stringValue == base + "/status")
            #expect(submitted.json["response_url"]?.stringValue == base)
            #expect(submitted.json["cancel_url"]?.stringValue == base + "/cancel")

            let answers = try await fixture.pollUntilCompleted(id, key: key)
            let last = try #require(answers.last)
            #expect(last.status == 200 && last.json["status"]?.stringValue == "COMPLETED", "\(last.text)")
            #expect(last.json["logs"]?.arrayValue != nil)
            #expect(last.json["metrics"]?.objectValue != nil)
            for early in answers.dropLast() {
                #expect(early.status == 202)
                #expect(["IN_QUEUE", "IN_PROGRESS"].contains(early.json["status"]?.stringValue ?? ""), "\(early.text)")
            }

            let result = try await fixture.request(.get, "/fal-ai/kling-video/requests/\(id)", key: key)
            #expect(result.status == 200)
            #expect(result.headers["x-fal-request-id"] == id)
            #expect(result.json["video"]?["url"]?.stringValue != nil, "\(result.text)")

            let listed = try await fixture.spool.request(.get, "/v1/jobs", key: key).json["data"]?.arrayValue ?? []
            #expect(listed.compactMap { $0["id"]?.stringValue } == [id])
        }
    }

    @Test("status without logs=1 carries logs: null; the Python client's logs=false and logs=true both work")
    func logsParameter() async throws {
        try await withFalSurface { fixture in
            let key = try await fixture.spool.key(team: "marketing")
            let id = try #require(try await fixture.submit(key: key).json["request_id"]?.stringValue)
            let path = "/fal-ai/kling-video/requests/\(id)/status"
            let without = try await fixture.request(.get, path + "?logs=false", key: key).json
            #expect(without["logs"] == .null)
            #expect(without.objectValue?.keys.contains("logs") == true)
            #expect(try await fixture.request(.get, path + "?logs=true", key: key).json["logs"]?.arrayValue != nil)
        }
    }

    @Test("an input the catalog refuses answers 422 with fal's detail entries (loc, msg, type) in fal's names")
    func validation() async throws {
        try await withFalSurface { fixture in
            let key = try await fixture.spool.key(team: "marketing")
            let answer = try await fixture.request(
                .post, "/\(FalSurfaceFixture.endpoint)", key: key, json: ["prompt": "a boat", "duration": "99"])
            #expect(answer.status == 422)
            let entry = try #require(answer.json["detail"]?.arrayValue?.first)
            #expect(entry["loc"] == ["body", "duration"], "\(answer.text)")
            #expect(entry["msg"]?.stringValue?.isEmpty == false)
            #expect(entry["type"]?.stringValue != nil)
            #expect(try await fixture.spool.request(.get, "/v1/jobs", key: key).json["data"]?.arrayValue?.isEmpty == true)
        }
    }

    @Test("an endpoint outside the catalog, an unknown request id and a missing key answer in fal's shape")
    func notFoundAndUnauthorized() async throws {
        try await withFalSurface { fixture in
            let key = try await fixture.spool.key(team: "marketing")
            let unknownModel = try await fixture.request(.post, "/fal-ai/flux/dev", key: key, json: ["prompt": "x"])
            #expect(unknownModel.status == 404)
            #expect(unknownModel.json["detail"]?.stringValue?.contains("fal-ai/flux/dev") == true)
            let unknownID = try await fixture.request(.get, "/fal-ai/kling-video/requests/job_missing/status", key: key)
            #expect(unknownID.status == 404 && unknownID.json["detail"]?.stringValue != nil)
            let anonymous = try await fixture.submit(key: "sk_not_a_key")
            #expect(anonymous.status == 401 && anonymous.json["detail"]?.stringValue != nil)
        }
    }

    @Test("a Bearer key works too, and the catalog id is accepted as the endpoint")
    func bearerAndCatalogID() async throws {
        try await withFalSurface { fixture in
            let key = try await fixture.spool.key(team: "marketing")
            let answer = try await fixture.request(
                .post, "/\(exampleModel)", key: nil, json: FalSurfaceFixture.falInput, headers: [("Authorization", "Bearer \(key)")])
            #expect(answer.status == 200, "\(answer.text)")
            #expect(answer.json["request_id"]?.stringValue?.hasPrefix("job_") == true)
        }
    }

    @Test("quota and budget refusals are 403 and 402 with a detail, never 429")
    func refusals() async throws {
        try await withFalSurface(configure: { configuration in
            configuration.teams.overrides["small"] = .init(maxQueued: 0)
            configuration.teams.overrides["poor"] = .init(dailyBudgetUSD: 0.01)
        }) { fixture in
            let small = try await fixture.submit(key: try await fixture.spool.key(team: "small"))
            #expect(small.status == 403, "\(small.text)")
            #expect(small.json["detail"]?.stringValue != nil)
            let poor = try await fixture.submit(key: try await fixture.spool.key(team: "poor"))
            #expect(poor.status == 402, "\(poor.text)")
            #expect(poor.json["detail"]?.stringValue != nil)
        }
    }

    @Test("cancel answers CANCELLATION_REQUESTED (202), then ALREADY_COMPLETED (400); an unknown id NOT_FOUND (404)")
    func cancel() async throws {
        try await withFalSurface(simulate: { $0.queueSeconds = 5 }) { fixture in
            let key = try await fixture.spool.key(team: "marketing")
            let id = try #require(try await fixture.submit(key: key).json["request_id"]?.stringValue)
            let path = "/fal-ai/kling-video/requests/\(id)/cancel"
            let first = try await fixture.request(.put, path, key: key)
            #expect(first.status == 202 && first.json["status"]?.stringValue == "CANCELLATION_REQUESTED", "\(first.text)")
            let job = try await fixture.spool.waitUntilTerminal(id, key: key)
            #expect(job["status"]?.stringValue == "cancelled")
            let second = try await fixture.request(.put, path, key: key)
            #expect(second.status == 400 && second.json["status"]?.stringValue == "ALREADY_COMPLETED", "\(second.text)")
            let unknown = try await fixture.request(.put, "/fal-ai/kling-video/requests/job_missing/cancel", key: key)
            #expect(unknown.status == 404 && unknown.json["status"]?.stringValue == "NOT_FOUND")
            let status = try await fixture.request(.get, "/fal-ai/kling-video/requests/\(id)/status", key: key)
            #expect(status.json["status"]?.stringValue == "COMPLETED" && status.json["error_type"]?.stringValue == "cancelled")
        }
    }

    @Test("another team's key cannot read, stream, fetch or cancel a request: 404 in fal's shape")
    func teamIsolation() async throws {
        try await withFalSurface(simulate: { $0.queueSeconds = 5 }) { fixture in
            let owner = try await fixture.spool.key(team: "marketing")
            let stranger = try await fixture.spool.key(team: "sales")
            let id = try #require(try await fixture.submit(key: owner).json["request_id"]?.stringValue)
            let base = "/fal-ai/kling-video/requests/\(id)"
            for (method, path) in [(HTTPClientRequest.Method.get, base + "/status"), (.get, base + "/status/stream"), (.get, base),
                                   (.put, base + "/cancel")] {
                let answer = try await fixture.request(method, path, key: stranger)
                #expect(answer.status == 404, "\(method) \(path): \(answer.text)")
                #expect(answer.json["detail"]?.stringValue != nil)
            }
            let own = try await fixture.request(.get, base + "/status", key: owner)
            #expect(own.status == 202)
            #expect(try await fixture.spool.request(.get, "/v1/jobs/\(id)", key: owner).json["status"]?.stringValue != "cancelled")
        }
    }

    @Test("the status stream sends data: lines of status objects and closes after COMPLETED")
    func statusStream() async throws {
        try await withFalSurface { fixture in
            let key = try await fixture.spool.key(team: "marketing")
            let id = try #require(try await fixture.submit(key: key).json["request_id"]?.stringValue)
            let response = try await fixture.spool.client.stream(HTTPClientRequest(
                method: .get, url: fixture.surfaceURL + "/fal-ai/kling-video/requests/\(id)/status/stream?logs=1",
                headers: [("Authorization", "Key \(key)")]))
            #expect(response.status == 200)
            var text = ""
            for try await chunk in response.body { text += String(decoding: chunk, as: UTF8.self) }
            let statuses = ServerSentEvents.parse(text).compactMap { try? JSONValue(parsing: $0.data)["status"]?.stringValue }
            #expect(statuses.last == "COMPLETED", "\(text)")
            #expect(statuses.filter { $0 == "COMPLETED" }.count == 1)
        }
    }

    @Test("behind a TLS front, the URLs handed out follow X-Forwarded-Proto and X-Forwarded-Host")
    func forwardedURLs() async throws {
        try await withFalSurface { fixture in
            let key = try await fixture.spool.key(team: "marketing")
            let answer = try await fixture.request(
                .post, "/\(FalSurfaceFixture.endpoint)", key: key, json: FalSurfaceFixture.falInput,
                headers: [("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "fal.spool.example:8443")])
            let id = try #require(answer.json["request_id"]?.stringValue)
            #expect(answer.json["status_url"]?.stringValue == "https://fal.spool.example:8443/fal-ai/kling-video/requests/\(id)/status")
        }
    }

    @Test("the run prefix waits for the job and answers its output, like fal's run host")
    func runHost() async throws {
        try await withFalSurface { fixture in
            let key = try await fixture.spool.key(team: "marketing")
            let answer = try await fixture.request(.post, "/run/\(FalSurfaceFixture.endpoint)", key: key, json: FalSurfaceFixture.falInput)
            #expect(answer.status == 200, "\(answer.text)")
            #expect(answer.json["video"]?["url"]?.stringValue != nil)
            let id = try #require(answer.headers["x-fal-request-id"])
            #expect(try await fixture.spool.request(.get, "/v1/jobs/\(id)", key: key).json["status"]?.stringValue == "completed")
        }
    }

    @Test("fal_webhook becomes the job's webhook: the team's receiver gets the job's events")
    func falWebhook() async throws {
        try await withFalSurface { fixture in
            let key = try await fixture.spool.key(team: "marketing")
            let answer = try await fixture.submit(key: key, query: "?fal_webhook=http%3A%2F%2F127.0.0.1%3A9%2Fhook")
            let id = try #require(answer.json["request_id"]?.stringValue)
            let job = try await fixture.spool.request(.get, "/v1/jobs/\(id)", key: key).json
            #expect(job["webhook_url"]?.stringValue == "http://127.0.0.1:9/hook")
        }
    }
}
