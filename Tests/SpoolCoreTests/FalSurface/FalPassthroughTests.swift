import SpoolFal
import SpoolJSON
import Testing
@testable import SpoolCore

@Suite("fal surface: endpoints outside the catalog")
struct FalPassthroughTests {
    private static let passthrough = "fal-ai/flux/dev"

    @Test("a pass-through endpoint runs with its input sent as is, priced 0, and the job says so; others stay 404")
    func passthroughEndpoint() async throws {
        try await withFalSurface(
            configure: {
                $0.falSurface.passthroughEndpoints = [Self.passthrough]
                $0.teams.overrides["poor"] = .init(dailyBudgetUSD: 0.01)
            },
            simulate: { $0.endpoints.insert(Self.passthrough) }) { fixture in
            let key = try await fixture.spool.key(team: "poor")
            let input: JSONValue = ["prompt": "a lighthouse", "num_inference_steps": 28, "anything": ["goes": true]]
            let submitted = try await fixture.request(.post, "/\(Self.passthrough)", key: key, json: input)
            #expect(submitted.status == 200, "\(submitted.text)")
            let id = try #require(submitted.json["request_id"]?.stringValue)
            #expect(submitted.json["status_url"]?.stringValue == "\(fixture.surfaceURL)/fal-ai/flux/requests/\(id)/status")

            let answers = try await fixture.pollUntilCompleted(id, key: key, path: "/fal-ai/flux/requests/\(id)/status?logs=1")
            #expect(answers.last?.json["status"]?.stringValue == "COMPLETED", "\(answers.last?.text ?? "")")
            let sent = try #require(fixture.spool.simulator.requestLog().first { $0.method == "POST" })
            #expect(sent.path == "/\(Self.passthrough)")
            #expect(try JSONValue(parsing: Array(sent.body.utf8)) == input)

            let job = try await fixture.spool.request(.get, "/v1/jobs/\(id)", key: key).json
            #expect(job["model"]?.stringValue == Self.passthrough)
            #expect(job["fal_endpoint"]?.stringValue == Self.passthrough)
            #expect(job["cost"]?["estimated_usd"]?.doubleValue == 0)
            let accepted = job["history"]?.arrayValue?.first?["note"]?.stringValue ?? ""
            #expect(accepted.contains("pass-through") && accepted.contains("price is unknown"), "\(accepted)")

            // The budget counted nothing for it: the team still cannot afford a catalog job, but can run another.
            #expect(try await fixture.submit(key: key).status == 402)
            #expect(try await fixture.request(.post, "/\(Self.passthrough)", key: key, json: input).status == 200)

            let other = try await fixture.request(.post, "/fal-ai/flux/schnell", key: key, json: input)
            #expect(other.status == 404 && other.json["detail"]?.stringValue?.contains("fal-ai/flux/schnell") == true)
        }
    }

    @Test("without the setting, no endpoint outside the catalog is accepted")
    func offByDefault() async throws {
        try await withFalSurface(simulate: { $0.endpoints.insert(Self.passthrough) }) { fixture in
            let key = try await fixture.spool.key(team: "marketing")
            let answer = try await fixture.request(.post, "/\(Self.passthrough)", key: key, json: ["prompt": "x"])
            #expect(answer.status == 404)
            #expect(fixture.spool.simulator.requestLog().isEmpty)
        }
    }
}
