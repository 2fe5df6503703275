import Foundation
import SpoolJSON
import Testing
@testable import SpoolSim

@Suite("X-Fal-Store-IO: 0 keeps a result only a short time")
struct SimulatorPayloadStorageTests {
    private static let unstored = [("X-Fal-Store-IO", "0")]

    @Test("an unstored result is gone after unstoredResultSeconds (404 with detail); a stored one stays")
    func smallResultExpires() async throws {
        try await SimFixture.with({ $0.unstoredResultSeconds = 0 }) { simulator in
            let url = "\(simulator.baseURL)/\(SimFixture.klingEndpoint)"
            let unstored = try await FalHTTP.json("POST", url, body: SimFixture.validInput, extraHeaders: Self.unstored)
            let stored = try await FalHTTP.json("POST", url, body: SimFixture.validInput)
            _ = try await SimFixture.waitFor("COMPLETED", unstored.json)
            _ = try await SimFixture.waitFor("COMPLETED", stored.json)
            let gone = try await FalHTTP.json("GET", unstored.json["response_url"]!.stringValue!)
            #expect(gone.status == 404)
            #expect(gone.json["detail"]?.stringValue?.isEmpty == false)
            #expect(try await FalHTTP.json("GET", stored.json["response_url"]!.stringValue!).status == 200)
        }
    }

    @Test("a result of at least unstoredLargeResultBytes is kept unstoredLargeResultSeconds instead")
    func largeResultExpiresSooner() async throws {
        let adjust: (inout SimulatorConfiguration) -> Void = {
            $0.unstoredResultSeconds = 3600
            $0.unstoredLargeResultSeconds = 0
        }
        for (threshold, expected) in [(1, 404), (1_000_000, 200)] {
            try await SimFixture.with({ adjust(&$0); $0.unstoredLargeResultBytes = threshold }) { simulator in
                let answer = try await FalHTTP.json(
                    "POST", "\(simulator.baseURL)/\(SimFixture.klingEndpoint)", body: SimFixture.validInput,
                    extraHeaders: Self.unstored)
                _ = try await SimFixture.waitFor("COMPLETED", answer.json)
                #expect(try await FalHTTP.json("GET", answer.json["response_url"]!.stringValue!).status == expected)
            }
        }
    }
}
