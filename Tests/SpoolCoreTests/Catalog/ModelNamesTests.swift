import SpoolJSON
import Testing
@testable import SpoolCore

@Suite("Naming a model: the catalog id, the fal endpoint id, and a did-you-mean for a near miss")
struct ModelNamesTests {
    @Test("a model's fal endpoint id is accepted as `model`; the job records the catalog id and runs that endpoint")
    func falEndpointIDAsModel() async throws {
        try await withGateway { spool in
            let key = try await spool.key(team: "marketing")
            let answer = try await spool.request(.post, "/v1/jobs", key: key, json: [
                "model": "fal-ai/kling-video/o3/pro/reference-to-video", "input": exampleInput,
            ])
            #expect(answer.status == 202, "\(answer.text)")
            #expect(answer.json["model"]?.stringValue == exampleModel)
            #expect(answer.json["fal_endpoint"]?.stringValue == "fal-ai/kling-video/o3/pro/reference-to-video")
            let id = try #require(answer.json["id"]?.stringValue)
            let listed = try await spool.request(.get, "/v1/jobs?model=\(exampleModel)", key: key)
            #expect(listed.json["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [id])
        }
    }

    @Test("a near-miss model id on POST /v1/jobs is 422 unknown_model naming the model meant, in the message and the field")
    func submitSuggestsNearestModel() async throws {
        try await withGateway { spool in
            let key = try await spool.key(team: "marketing")
            let answer = try await spool.request(.post, "/v1/jobs", key: key, json: [
                "model": "kling-video-o3-pro-refrence-to-video", "input": exampleInput,
            ])
            #expect(answer.status == 422)
            #expect(answer.json["error"]?["code"]?.stringValue == "unknown_model")
            let hint = "did you mean \(exampleModel)?"
            #expect(answer.json["error"]?["message"]?.stringValue?.contains(hint) == true, "\(answer.text)")
            let detail = answer.json["error"]?["details"]?.arrayValue?.first
            #expect(detail?["field"]?.stringValue == "model")
            #expect(detail?["message"]?.stringValue?.contains(hint) == true, "\(answer.text)")

            let endpointSlip = try await spool.request(.post, "/v1/jobs", key: key, json: [
                "model": "fal-ai/kling-video/o3/pro/reference-to-vidoe", "input": exampleInput,
            ])
            #expect(endpointSlip.json["error"]?["message"]?.stringValue?.contains(
                "did you mean fal-ai/kling-video/o3/pro/reference-to-video?") == true, "\(endpointSlip.text)")

            let farOff = try await spool.request(.post, "/v1/jobs", key: key, json: ["model": "sora", "input": exampleInput])
            #expect(farOff.status == 422)
            #expect(farOff.json["error"]?["message"]?.stringValue?.contains("did you mean") == false, "\(farOff.text)")
        }
    }

    @Test("a near-miss id on GET /v1/models/{id} is 404 not_found naming the model meant")
    func modelReadSuggestsNearestModel() async throws {
        try await withGateway { spool in
            let key = try await spool.key(team: "marketing")
            let answer = try await spool.request(.get, "/v1/models/kling-video-o3-pro-reference-to-vide", key: key)
            #expect(answer.status == 404)
            #expect(answer.json["error"]?["code"]?.stringValue == "not_found")
            #expect(answer.json["error"]?["message"]?.stringValue?.contains("did you mean \(exampleModel)?") == true, "\(answer.text)")
        }
    }
}
