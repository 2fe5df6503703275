import Foundation
import SpoolJSON
import SpoolTestSupport
import Synchronization
import Testing
@testable import SpoolSim

@Suite("Faults of the failure table: flaky results, slow submits, request timeouts")
struct SimulatorResultFaultTests {
    @Test("resultFailuresPerRequest 2: a COMPLETED run's result is a plain 500 twice, then the output")
    func resultFailsFirst() async throws {
        try await SimFixture.with({ $0.resultFailuresPerRequest = 2 }) { simulator in
            let submitted = try await SimFixture.submit(simulator)
            _ = try await SimFixture.waitFor("COMPLETED", submitted)
            let url = submitted["response_url"]!.stringValue!
            for _ in 0..<2 {
                let failed = try await FalHTTP.json("GET", url)
                #expect(failed.status == 500)
                #expect(failed.text == "Internal Server Error")
                #expect(failed.header("X-Fal-Error-Type") == nil)
                #expect(failed.json == .null, "not a fal error body")
            }
            let result = try await FalHTTP.json("GET", url)
            #expect(result.status == 200)
            #expect(result.json["video"]?["url"] != nil)
        }
    }

    @Test("resultFailureRate 1: every fetch of a successful result is a plain 500, while the status says COMPLETED")
    func resultAlwaysFails() async throws {
        try await SimFixture.with({ $0.resultFailureRate = 1 }) { simulator in
            let submitted = try await SimFixture.submit(simulator)
            let done = try await SimFixture.waitFor("COMPLETED", submitted)
            #expect(done.json["error"] == nil)
            for _ in 0..<3 {
                #expect(try await FalHTTP.json("GET", submitted["response_url"]!.stringValue!).status == 500)
            }
        }
    }

    @Test("submitDelaySeconds: the request is queued at once, other operations answer, the submit answer comes later")
    func slowSubmit() async throws {
        try await SimFixture.with({ $0.submitDelaySeconds = 5 }) { simulator in
            let answered = AnsweredFlag()
            let submit = Task {
                defer { answered.state.withLock { $0 = true } }
                return try await FalHTTP.json(
                    "POST", "\(simulator.baseURL)/\(SimFixture.klingEndpoint)", body: SimFixture.validInput)
            }
            var queuedID: String?
            try await eventually("the emulator lists the queued request") {
                let state = try? await FalHTTP.json("GET", "\(simulator.baseURL)/_sim/state")
                queuedID = state?.json["requests"]?.arrayValue?.first?["request_id"]?.stringValue
                return queuedID != nil
            }
            let id = try #require(queuedID)
            let status = try await FalHTTP.json("GET", "\(simulator.baseURL)/fal-ai/kling-video/requests/\(id)/status")
            #expect([200, 202].contains(status.status))
            #expect(!answered.state.withLock { $0 }, "the submit is still waiting for its answer")
            let answer = try await submit.value
            #expect(answer.status == 200)
            #expect(answer.json["request_id"]?.stringValue == id)
        }
    }

    @Test("X-Fal-Request-Timeout: a request that cannot start in time ends with request_timeout (504 on the result)")
    func requestTimeout() async throws {
        try await SimFixture.with({ $0.concurrency = 1; $0.queueSeconds = 0; $0.runSeconds = 30 }) { simulator in
            let url = "\(simulator.baseURL)/\(SimFixture.klingEndpoint)"
            let first = try await FalHTTP.json("POST", url, body: SimFixture.validInput)
            let second = try await FalHTTP.json(
                "POST", url, body: SimFixture.validInput, extraHeaders: [("X-Fal-Request-Timeout", "0.3")])
            let done = try await SimFixture.waitFor("COMPLETED", second.json)
            #expect(done.json["error_type"] == "request_timeout")
            #expect(done.json["metrics"]?["inference_time"] == nil, "it never ran")
            let result = try await FalHTTP.json("GET", second.json["response_url"]!.stringValue!)
            #expect(result.status == 504)
            #expect(result.header("X-Fal-Error-Type") == "request_timeout")
            #expect(result.header("X-Fal-Request-Timeout-Type") == "user")
            #expect(result.json["error_type"] == "request_timeout")
            #expect(try await SimFixture.status(first.json).json["status"] == "IN_PROGRESS")
        }
    }

    @Test("X-Fal-Request-Timeout that leaves time to start changes nothing")
    func requestTimeoutInTime() async throws {
        try await SimFixture.with { simulator in
            let answer = try await FalHTTP.json(
                "POST", "\(simulator.baseURL)/\(SimFixture.klingEndpoint)", body: SimFixture.validInput,
                extraHeaders: [("X-Fal-Request-Timeout", "60")])
            let done = try await SimFixture.waitFor("COMPLETED", answer.json)
            #expect(done.json["error_type"] == nil)
        }
    }
}

/// Set once a request in flight got its answer.
private final class AnsweredFlag: Sendable {
    let state = Mutex(false)
}
