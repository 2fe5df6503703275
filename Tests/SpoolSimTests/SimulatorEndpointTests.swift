import Foundation
import SpoolJSON
import Testing
@testable import SpoolSim

@Suite("Which endpoints exist")
struct SimulatorEndpointTests {
    @Test("a submit to an endpoint fal does not serve is answered 404 with fal's detail, and queues nothing")
    func unknownEndpoint() async throws {
        try await SimFixture.with { simulator in
            let answer = try await FalHTTP.json("POST", "\(simulator.baseURL)/fal-ai/no-such-model", body: ["prompt": "x"])
            #expect(answer.status == 404)
            #expect(answer.json["detail"]?.stringValue?.contains("fal-ai/no-such-model") == true)
            let state = try await FalHTTP.json("GET", "\(simulator.baseURL)/_sim/state")
            #expect(state.json["requests"]?.arrayValue?.isEmpty == true)
        }
    }

    @Test("every Kling O3 endpoint of the default list is served")
    func klingFamily() async throws {
        try await SimFixture.with { simulator in
            for endpoint in SimulatorConfiguration.klingO3Endpoints.sorted() {
                let input: JSONValue = endpoint.hasSuffix("/image-to-video")
                    ? ["prompt": "x", "image_url": "https://example.com/a.png"] : ["prompt": "x"]
                let answer = try await FalHTTP.json("POST", "\(simulator.baseURL)/\(endpoint)", body: input)
                #expect(answer.status == 200, "\(endpoint)")
            }
        }
    }

    @Test("an endpoint added to the list is served; the others stay unknown")
    func addedEndpoint() async throws {
        try await SimFixture.with({ _ = $0.endpoints.insert("fal-ai/flux/dev") }) { simulator in
            let added = try await FalHTTP.json("POST", simulator.baseURL + "/fal-ai/flux/dev", body: ["seed": 1])
            let other = try await FalHTTP.json("POST", simulator.baseURL + "/fal-ai/flux/pro", body: ["seed": 1])
            #expect(added.status == 200)
            #expect(other.status == 404)
        }
    }

    @Test("an endpoint id of the wrong shape is refused by validation")
    func badEndpointID() {
        var configuration = SimulatorConfiguration()
        configuration.endpoints = ["fal-ai"]
        #expect(throws: SimulatorConfigurationError.self) { try configuration.validate() }
    }

    @Test("status, result and cancel of an unknown request id are 404")
    func unknownRequestIDs() async throws {
        try await SimFixture.with { simulator in
            let stem = simulator.baseURL + "/fal-ai/kling-video/requests/nope"
            let status = try await FalHTTP.json("GET", stem + "/status")
            let result = try await FalHTTP.json("GET", stem)
            let cancel = try await FalHTTP.json("PUT", stem + "/cancel")
            #expect(status.status == 404)
            #expect(result.status == 404)
            #expect(result.json == ["detail": "Request not found"])
            #expect(cancel.status == 404)
            #expect(cancel.json == ["status": "NOT_FOUND"])
        }
    }
}
