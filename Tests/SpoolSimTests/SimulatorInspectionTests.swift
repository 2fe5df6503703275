import Foundation
import SpoolJSON
import SpoolTestSupport
import Testing
@testable import SpoolSim

@Suite("Status stream, request log and state")
struct SimulatorInspectionTests {
    @Test("the status stream sends each change as an SSE data event, keep-alive comments, and ends after COMPLETED")
    func statusStream() async throws {
        // Seconds-long phases, so that a loaded machine cannot skip one between two looks of the stream.
        try await SimFixture.with({ $0.queueSeconds = 4; $0.runSeconds = 2; $0.keepAliveInterval = 0.1 }) { simulator in
            let submitted = try await SimFixture.submit(simulator)
            let stream = try await FalHTTP.json("GET", submitted["status_url"]!.stringValue! + "/stream")
            #expect(stream.status == 200)
            #expect(stream.header("Content-Type") == "text/event-stream")
            let events = stream.text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
            #expect(events.contains(": keep-alive"), "0.5 s in the queue without a change brings keep-alives")
            let statuses = events.filter { $0.hasPrefix("data: ") }.compactMap { event in
                (try? JSONValue(parsing: String(event.dropFirst("data: ".count))))?["status"]?.stringValue
            }
            #expect(statuses == ["IN_QUEUE", "IN_PROGRESS", "COMPLETED"])
        }
    }

    @Test("the request log records method, path, query and headers, with the key redacted; DELETE clears it")
    func requestLog() async throws {
        try await SimFixture.with { simulator in
            let submitted = try await SimFixture.submit(simulator)
            _ = try await FalHTTP.json(
                "GET", submitted["status_url"]!.stringValue! + "?logs=1", extraHeaders: [("X-Fal-Queue-Priority", "low")])
            let log = simulator.requestLog()
            #expect(log.count == 2)
            #expect(log[0].method == "POST" && log[0].path == "/\(SimFixture.klingEndpoint)")
            #expect(log[0].headers["Authorization"] == "Key ***")
            #expect((try? JSONValue(parsing: log[0].body)) == SimFixture.validInput)
            #expect(log[1].query == "logs=1")
            #expect(log[1].headers["X-Fal-Queue-Priority"] == "low")
            let listed = try await RawClient.request("GET", simulator.baseURL + "/_sim/requests").json
            let first = try #require(listed.arrayValue?.first)
            #expect(first["method"] == "POST")
            #expect(first["headers"]?["Authorization"] == "Key ***")
            #expect(first["at"]?.stringValue?.hasSuffix("Z") == true)
            #expect(try await RawClient.request("DELETE", simulator.baseURL + "/_sim/requests").status == 204)
            #expect(simulator.requestLog().isEmpty)
        }
    }

    @Test("the state lists every request with its status, position and outcome")
    func state() async throws {
        // The first waits 3 s before it may start: ample time, even on a loaded machine, to see both queued.
        try await SimFixture.with({ $0.concurrency = 1; $0.queueSeconds = 3; $0.runSeconds = 1 }) { simulator in
            let first = try await SimFixture.submit(simulator)
            _ = try await SimFixture.submit(simulator)
            let state = try await RawClient.request("GET", simulator.baseURL + "/_sim/state").json
            let requests = try #require(state["requests"]?.arrayValue)
            #expect(requests.count == 2)
            #expect(requests[0]["request_id"] == first["request_id"])
            #expect(requests[1]["queue_position"] == 1)
            #expect(state["queued"] == 2)
            _ = try await SimFixture.waitFor("COMPLETED", first)
            let later = try await RawClient.request("GET", simulator.baseURL + "/_sim/state").json
            #expect(later["requests"]?.arrayValue?.first?["outcome"] == "succeeded")
        }
    }

    @Test("the JWKS publishes one Ed25519 key")
    func jwks() async throws {
        try await SimFixture.with { simulator in
            let jwks = try await RawClient.request("GET", simulator.jwksURL)
            #expect(jwks.status == 200)
            let keys = try #require(jwks.json["keys"]?.arrayValue)
            #expect(keys.count == 1)
            #expect(Base64URL.decode(keys[0]["x"]?.stringValue ?? "")?.count == 32)
        }
    }
}
