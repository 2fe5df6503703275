import Foundation
import SpoolJSON
import SpoolSim
import SpoolTestSupport
import Testing
@testable import SpoolCore

/// What the emulator's answers report (billed units, the serving endpoint, a cancel answered `OK`), followed
/// end to end: emulator → gateway → job object, `/v1/usage` and `/metrics`.
@Suite("fal's reports end to end against the emulator")
struct FalEmulatorReportTests {
    static let proEndpoint = "fal-ai/kling-video/o3/pro/reference-to-video"
    static let standardModel = "kling-video-o3-standard-reference-to-video"
    static let standardEndpoint = "fal-ai/kling-video/o3/standard/reference-to-video"

    @Test("the units fal bills land on the job, priced, and in /v1/usage and /metrics beside the estimate")
    func billedUnits() async throws {
        try await withGateway { spool in
            let key = try await spool.key(team: "marketing")
            let id = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            let job = try await spool.waitForJob(id, key: key) { $0["cost"]?["billed_units"]?.doubleValue != nil }
            #expect(job["cost"]?["billed_units"]?.doubleValue == 5)
            #expect(job["cost"]?["billed_usd"]?.doubleValue == 1.12)
            #expect(job["fal_served_from"]?.stringValue == Self.proEndpoint)

            let usage = try await spool.request(.get, "/v1/usage", key: key).json["total"]
            #expect(usage?["billed_units"]?.doubleValue == 5)
            #expect(usage?["billed_usd"]?.doubleValue == 1.12)
            #expect(usage?["spend_usd"]?.doubleValue == 1.12)
            let samples = try await OperationsTests.scrape(spool)
            #expect(OperationsTests.value(samples, "spool_cost_usd_total", ["model": exampleModel, "kind": "billed"]) == 1.12)
            #expect(OperationsTests.value(samples, "spool_cost_usd_total", ["model": exampleModel, "kind": "estimated"]) == 1.12)
            #expect(OperationsTests.value(samples, "spool_fal_fallbacks_total") == 0)
        }
    }

    @Test("a fallback is recorded for a model that allows it, and refused by the header for one that does not")
    func fallbacks() async throws {
        let directory = try TemporaryDirectory()
        let models = directory.path + "/models"
        try FileManager.default.createDirectory(atPath: models, withIntermediateDirectories: true)
        for model in [exampleModel, Self.standardModel] {
            var text = try String(contentsOfFile: RepositoryPaths.root + "/config/models/\(model).json", encoding: .utf8)
            if model == exampleModel {
                text = text.replacingOccurrences(of: #""allow_fallback": false"#, with: #""allow_fallback": true"#)
            }
            try writeFile(models + "/\(model).json", text)
        }
        try await withGateway(
            directory: directory, configure: { $0.modelsDirectory = models }, simulate: { $0.fallbackRate = 1 }) { spool in
            let key = try await spool.key(team: "marketing")
            let free = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            let pinnedBody = submission(extra: ["model": .string(Self.standardModel)])
            let pinned = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: pinnedBody).json["id"]?.stringValue)

            let freeJob = try await spool.waitForJob(free, key: key) {
                $0["status"]?.stringValue == "completed" && $0["cost"]?["billed_units"]?.doubleValue != nil
            }
            #expect(freeJob["fal_served_from"]?.stringValue == Self.standardEndpoint)
            let notes = freeJob["history"]?.arrayValue?.compactMap { $0["note"]?.stringValue } ?? []
            #expect(notes.contains { $0.contains("served it from \(Self.standardEndpoint)") })

            let pinnedJob = try await spool.waitForJob(pinned, key: key) {
                $0["status"]?.stringValue == "completed" && $0["cost"]?["billed_units"]?.doubleValue != nil
            }
            #expect(pinnedJob["fal_served_from"]?.stringValue == Self.standardEndpoint)
            #expect(pinnedJob["history"]?.arrayValue?.allSatisfy { !($0["note"]?.stringValue ?? "").contains("fallback") } == true)

            let submits = spool.simulator.requestLog().filter { $0.method == "POST" }
            #expect(submits.count == 2)
            #expect(submits.first { $0.path.hasSuffix("/o3/pro/reference-to-video") }?.headers["x-app-fal-disable-fallback"] == nil)
            #expect(submits.first { $0.path.hasSuffix("/o3/standard/reference-to-video") }?.headers["x-app-fal-disable-fallback"] == "true")
            let samples = try await OperationsTests.scrape(spool)
            #expect(OperationsTests.value(samples, "spool_fal_fallbacks_total",
                                          ["model": exampleModel, "served_from": Self.standardEndpoint]) == 1)
            #expect(OperationsTests.value(samples, "spool_fal_fallbacks_total") == 1)
        }
    }

    @Test("a cancel that fal answers OK cancels the job like CANCELLATION_REQUESTED")
    func cancelAnsweredOK() async throws {
        try await withGateway(simulate: {
            $0.runSeconds = 30
            $0.cancelOKRate = 1
        }) { spool in
            let key = try await spool.key(team: "marketing")
            let id = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            _ = try await spool.waitForJob(id, key: key) { $0["status"]?.stringValue == "in_progress" }
            let answer = try await spool.request(.post, "/v1/jobs/\(id)/cancel", key: key)
            #expect(answer.status == 202)
            #expect(answer.json["status"]?.stringValue == "cancelled")
            #expect(answer.json["error"]?["code"]?.stringValue == "cancelled")
            let cancels = spool.simulator.requestLog().filter { $0.method == "PUT" && $0.path.hasSuffix("/cancel") }
            #expect(cancels.count == 1)
        }
    }
}
