import Foundation
import SpoolJSON
import Testing
@testable import SpoolSim

@Suite("Response headers, fallbacks and the headers a submit sent")
struct SimulatorHeaderTests {
    @Test("a successful result and its COMPLETED status carry X-Fal-Billable-Units (the duration), X-Fal-Served-From and x-fal-request-id")
    func billableUnits() async throws {
        try await SimFixture.with { simulator in
            let submitted = try await SimFixture.submit(simulator, input: ["prompt": "x", "duration": "8"])
            let id = submitted["request_id"]!.stringValue!
            let done = try await SimFixture.waitFor("COMPLETED", submitted)
            #expect(done.header("X-Fal-Billable-Units") == "8")
            let result = try await FalHTTP.json("GET", submitted["response_url"]!.stringValue!)
            #expect(result.status == 200)
            #expect(result.header("X-Fal-Billable-Units") == "8")
            #expect(result.header("X-Fal-Served-From") == SimFixture.klingEndpoint)
            #expect(result.header("x-fal-request-id") == id)
        }
    }

    @Test("before the run ends the status names the endpoint serving it but bills nothing")
    func nothingBilledEarly() async throws {
        try await SimFixture.with({ $0.queueSeconds = 60 }) { simulator in
            let queued = try await SimFixture.status(try await SimFixture.submit(simulator))
            #expect(queued.json["status"] == "IN_QUEUE")
            #expect(queued.header("X-Fal-Served-From") == SimFixture.klingEndpoint)
            #expect(queued.header("X-Fal-Billable-Units") == nil)
        }
    }

    @Test("billable units default to 5 seconds, and add up multi_prompt shots")
    func billableUnitsDefaults() async throws {
        try await SimFixture.with({ $0.queueSeconds = 0; $0.runSeconds = 0.1 }) { simulator in
            let plain = try await SimFixture.submit(simulator, input: ["prompt": "x"])
            let shots = try await SimFixture.submit(simulator, input: [
                "multi_prompt": [["prompt": "a", "duration": "3"], ["prompt": "b", "duration": 4]],
            ])
            #expect(try await SimFixture.waitFor("COMPLETED", plain).header("X-Fal-Billable-Units") == "5")
            #expect(try await SimFixture.waitFor("COMPLETED", shots).header("X-Fal-Billable-Units") == "7")
        }
    }

    @Test("fallbackRate 1 reroutes pro to standard unless x-app-fal-disable-fallback: true was sent")
    func fallbacks() async throws {
        try await SimFixture.with({ $0.fallbackRate = 1 }) { simulator in
            let url = "\(simulator.baseURL)/\(SimFixture.klingEndpoint)"
            let rerouted = try await FalHTTP.json("POST", url, body: SimFixture.validInput)
            let pinned = try await FalHTTP.json(
                "POST", url, body: SimFixture.validInput, extraHeaders: [("x-app-fal-disable-fallback", "true")])
            let standard = "fal-ai/kling-video/o3/standard/reference-to-video"
            #expect(try await SimFixture.status(rerouted.json).header("X-Fal-Served-From") == standard)
            #expect(try await SimFixture.status(pinned.json).header("X-Fal-Served-From") == SimFixture.klingEndpoint)
            let result = try await FalHTTP.json("GET", try await SimFixture.waitFor("COMPLETED", rerouted.json)
                .json["response_url"]!.stringValue!)
            #expect(result.header("X-Fal-Served-From") == standard)
        }
    }

    @Test("the request log keeps every header a submit sent, in /_sim/requests too")
    func submitHeadersRecorded() async throws {
        try await SimFixture.with { simulator in
            let sent: [(String, String)] = [
                ("x-app-fal-disable-fallback", "true"), ("X-Fal-Queue-Priority", "normal"), ("X-Fal-Store-IO", "0"),
                ("X-Fal-Object-Lifecycle-Preference", #"{"expiration_duration_seconds": 3600}"#),
                ("X-Fal-Request-Timeout", "600"),
            ]
            _ = try await FalHTTP.json(
                "POST", "\(simulator.baseURL)/\(SimFixture.klingEndpoint)", body: SimFixture.validInput, extraHeaders: sent)
            let log = try await FalHTTP.json("GET", "\(simulator.baseURL)/_sim/requests")
            let submit = try #require(log.json.arrayValue?.first { $0["method"] == "POST" })
            for (name, value) in sent {
                #expect(submit["headers"]?[name]?.stringValue == value, "\(name)")
            }
            #expect(submit["headers"]?["Authorization"] == "Key ***")
        }
    }

    @Test("cancelOKRate 1: a cancel is answered {\"status\": \"OK\"} with 202 and still cancels")
    func cancelOK() async throws {
        try await SimFixture.with({ $0.cancelOKRate = 1; $0.queueSeconds = 30 }) { simulator in
            let submitted = try await SimFixture.submit(simulator)
            let answer = try await FalHTTP.json("PUT", submitted["cancel_url"]!.stringValue!)
            #expect(answer.status == 202)
            #expect(answer.json == ["status": "OK"])
            let done = try await SimFixture.status(submitted)
            #expect(done.json["status"] == "COMPLETED")
            #expect(done.json["error_type"] == "request_cancelled")
        }
    }
}
