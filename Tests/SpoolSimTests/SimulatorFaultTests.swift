import Foundation
import SpoolJSON
import Testing
@testable import SpoolSim

@Suite("Fault injection at rate 1")
struct SimulatorFaultTests {
    @Test("fail5xxRate 1: every operation gets 503 with fal's platform error body and X-Fal-Error-Type")
    func unavailable() async throws {
        try await SimFixture.with({ $0.fail5xxRate = 1 }) { simulator in
            let answer = try await FalHTTP.json("POST", "\(simulator.baseURL)/\(SimFixture.klingEndpoint)", body: SimFixture.validInput)
            #expect(answer.status == 503)
            #expect(answer.json["error_type"] == "runner_scheduling_failure")
            #expect(answer.json["detail"]?.stringValue != nil)
            #expect(answer.header("X-Fal-Error-Type") == "runner_scheduling_failure")
        }
    }

    @Test("fail429Rate 1: every operation gets 429 with Retry-After")
    func rateLimited() async throws {
        try await SimFixture.with({ $0.fail429Rate = 1; $0.retryAfterSeconds = 3 }) { simulator in
            let answer = try await FalHTTP.json("GET", "\(simulator.baseURL)/fal-ai/kling-video/requests/x/status")
            #expect(answer.status == 429)
            #expect(answer.header("Retry-After") == "3")
        }
    }

    @Test("dropRate 1: the connection breaks without a complete answer")
    func dropped() async throws {
        try await SimFixture.with({ $0.dropRate = 1 }) { simulator in
            await #expect(throws: (any Error).self) {
                _ = try await FalHTTP.json("POST", "\(simulator.baseURL)/\(SimFixture.klingEndpoint)", body: SimFixture.validInput)
            }
            #expect(simulator.requestLog().count == 1, "the dropped request was received")
        }
    }

    @Test("slowRate 1: answers come after slowSeconds, and are otherwise normal")
    func slow() async throws {
        try await SimFixture.with({ $0.slowRate = 1; $0.slowSeconds = 0.3 }) { simulator in
            let started = ContinuousClock.now
            let answer = try await FalHTTP.json("POST", "\(simulator.baseURL)/\(SimFixture.klingEndpoint)", body: SimFixture.validInput)
            #expect(answer.status == 200)
            #expect(ContinuousClock.now - started >= .milliseconds(300))
        }
    }

    @Test("faults apply only to the configured operations")
    func onlyConfiguredOperations() async throws {
        try await SimFixture.with({ $0.fail5xxRate = 1; $0.faultOperations = [.status]; $0.queueSeconds = 5 }) { simulator in
            let submitted = try await SimFixture.submit(simulator)
            #expect(try await SimFixture.status(submitted).status == 503)
            #expect(try await FalHTTP.json("PUT", submitted["cancel_url"]!.stringValue!).status == 202)
        }
    }

    @Test("runErrorRate 1: runs end COMPLETED with internal_error; the result answers the model's 500")
    func failedRuns() async throws {
        try await SimFixture.with({ $0.runErrorRate = 1 }) { simulator in
            let submitted = try await SimFixture.submit(simulator)
            let done = try await SimFixture.waitFor("COMPLETED", submitted)
            #expect(done.json["error_type"] == "internal_error")
            #expect(done.json["error"]?.stringValue?.isEmpty == false)
            #expect(done.json["logs"]?.arrayValue?.last?["level"] == "ERROR")
            let result = try await FalHTTP.json("GET", submitted["response_url"]!.stringValue!)
            #expect(result.status == 500)
            #expect(result.json["detail"] != nil)
        }
    }

    @Test("contentPolicyRate 1: runs end COMPLETED with content_policy_violation; the result answers 422 with that type")
    func contentPolicyRuns() async throws {
        try await SimFixture.with({ $0.contentPolicyRate = 1 }) { simulator in
            let submitted = try await SimFixture.submit(simulator)
            let done = try await SimFixture.waitFor("COMPLETED", submitted)
            #expect(done.json["error_type"] == "content_policy_violation")
            let result = try await FalHTTP.json("GET", submitted["response_url"]!.stringValue!)
            #expect(result.status == 422)
            #expect(result.json["detail"]?.arrayValue?.first?["type"] == "content_policy_violation")
        }
    }
}
