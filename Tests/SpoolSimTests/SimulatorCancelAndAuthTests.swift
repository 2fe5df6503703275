import SpoolJSON
import SpoolTestSupport
import Testing
@testable import SpoolSim

@Suite("Cancel, authentication and input errors over HTTP")
struct SimulatorCancelAndAuthTests {
    private func cancel(_ submitted: JSONValue) async throws -> RawResponse {
        try await FalHTTP.json("PUT", submitted["cancel_url"]!.stringValue!)
    }

    @Test("cancelling a queued request: 202, it never runs, and it ends COMPLETED with an error")
    func cancelQueued() async throws {
        try await SimFixture.with({ $0.queueSeconds = 5 }) { simulator in
            let submitted = try await SimFixture.submit(simulator)
            let answer = try await cancel(submitted)
            #expect(answer.status == 202)
            #expect(answer.json == ["status": "CANCELLATION_REQUESTED"])
            let status = try await SimFixture.status(submitted)
            #expect(status.json["status"] == "COMPLETED")
            #expect(status.json["error"]?.stringValue?.contains("cancelled") == true)
            #expect(status.json["metrics"]?["inference_time"] == nil, "it never ran")
            let result = try await FalHTTP.json("GET", submitted["response_url"]!.stringValue!)
            #expect(result.status == 400)
        }
    }

    @Test("cancelling a running request ends it, and a completed one answers 400 ALREADY_COMPLETED")
    func cancelRunningThenCompleted() async throws {
        try await SimFixture.with({ $0.queueSeconds = 0; $0.runSeconds = 30 }) { simulator in
            let submitted = try await SimFixture.submit(simulator)
            _ = try await SimFixture.waitFor("IN_PROGRESS", submitted)
            #expect(try await cancel(submitted).status == 202)
            let status = try await SimFixture.status(submitted)
            #expect(status.json["status"] == "COMPLETED")
            #expect(status.json["error_type"] == "request_cancelled")
            let again = try await cancel(submitted)
            #expect(again.status == 400)
            #expect(again.json == ["status": "ALREADY_COMPLETED"])
        }
    }

    @Test("cancelling an unknown request answers 404 NOT_FOUND")
    func cancelUnknown() async throws {
        try await SimFixture.with { simulator in
            let answer = try await FalHTTP.json("PUT", "\(simulator.baseURL)/fal-ai/kling-video/requests/nope/cancel")
            #expect(answer.status == 404)
            #expect(answer.json == ["status": "NOT_FOUND"])
        }
    }

    @Test("a missing or malformed Authorization is 401; with an expected key, another key is 401 too")
    func authentication() async throws {
        try await SimFixture.with({ $0.expectedKey = "right" }) { simulator in
            let url = "\(simulator.baseURL)/\(SimFixture.klingEndpoint)"
            let missing = try await FalHTTP.json("POST", url, key: nil, body: SimFixture.validInput)
            #expect(missing.status == 401)
            #expect(missing.json["detail"]?.stringValue != nil)
            let bearer = try await FalHTTP.json(
                "POST", url, key: nil, body: SimFixture.validInput, extraHeaders: [("Authorization", "Bearer right")])
            #expect(bearer.status == 401)
            let wrong = try await FalHTTP.json("POST", url, key: "wrong", body: SimFixture.validInput)
            #expect(wrong.status == 401)
            let right = try await FalHTTP.json("POST", url, key: "right", body: SimFixture.validInput)
            #expect(right.status == 200)
            let statusWithoutKey = try await FalHTTP.json("GET", right.json["status_url"]!.stringValue!, key: nil)
            #expect(statusWithoutKey.status == 401)
        }
    }

    @Test("bad Kling input is answered 422 with fal's detail list; other accepted endpoints need a JSON object")
    func validationErrors() async throws {
        try await SimFixture.with({ $0.acceptAnyEndpoint = true }) { simulator in
            let url = "\(simulator.baseURL)/\(SimFixture.klingEndpoint)"
            let cases: [(JSONValue, [JSONValue], String)] = [
                (["duration": "5"], ["body", "prompt"], "missing"),
                (["prompt": "x", "duration": "20"], ["body", "duration"], "literal_error"),
                (["prompt": "x", "aspect_ratio": "4:3"], ["body", "aspect_ratio"], "literal_error"),
                (["prompt": "x", "image_urls": ["cat.png"]], ["body", "image_urls", 0], "url_parsing"),
            ]
            for (input, loc, type) in cases {
                let answer = try await FalHTTP.json("POST", url, body: input)
                #expect(answer.status == 422)
                let first = answer.json["detail"]?.arrayValue?.first
                #expect(first?["loc"] == .array(loc))
                #expect(first?["type"] == .string(type))
                #expect(first?["msg"]?.stringValue?.isEmpty == false)
            }
            let notObject = try await FalHTTP.json("POST", "\(simulator.baseURL)/fal-ai/flux/dev", body: [1, 2])
            #expect(notObject.status == 422)
            let accepted = try await FalHTTP.json("POST", url, body: ["prompt": "x", "duration": 7])
            #expect(accepted.status == 200)
        }
    }
}
