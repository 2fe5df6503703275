import SpoolFal
import SpoolJSON
import Testing
@testable import SpoolCore

/// What Spool does with the figures fal's answers report, recorded through the workers' own path
/// (`WorkerContext.record`) on a real gateway and database, and read back over HTTP.
@Suite("fal's billed units and serving endpoint on the job, in usage, budgets and metrics")
struct FalBillingRecordTests {
    static let standardEndpoint = "fal-ai/kling-video/o3/standard/reference-to-video"

    /// Submits the example job for `key` and waits for it to complete.
    static func completedJob(_ spool: TestGateway, key: String) async throws -> String {
        let id = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
        let job = try await spool.waitUntilTerminal(id, key: key)
        #expect(job["status"]?.stringValue == "completed")
        return id
    }

    @Test("billed units and their price replace the estimate in the job, /v1/usage, the budget and /metrics")
    func billedFigures() async throws {
        // 5 s at 0.224 USD: 1.12 estimated per job. By estimates a second job would pass 1.5 USD; billed at
        // 1 unit (0.224 USD), the first leaves room for it.
        let spool = try await TestGateway.start(configure: { $0.teams.overrides["marketing"] = .init(dailyBudgetUSD: 1.5) })
        defer { Task { await spool.stop() } }
        let key = try await spool.key(team: "marketing")
        let before = try await OperationsTests.scrape(spool)
        let id = try await Self.completedJob(spool, key: key)
        let fresh = try await spool.request(.get, "/v1/jobs/\(id)", key: key).json
        #expect(fresh["cost"] == ["estimated_usd": 1.12, "billed_units": nil, "billed_usd": nil])

        await spool.gateway.tracker.context.record(FalReport(billableUnits: 1), for: id)
        let billed = try await spool.request(.get, "/v1/jobs/\(id)", key: key).json
        #expect(billed["cost"]?["billed_units"]?.doubleValue == 1)
        #expect(billed["cost"]?["billed_usd"]?.doubleValue == 0.224)

        let usage = try await spool.request(.get, "/v1/usage", key: key).json
        #expect(usage["total"]?["estimated_usd"]?.doubleValue == 1.12)
        #expect(usage["total"]?["billed_jobs"]?.integerValue == 1)
        #expect(usage["total"]?["billed_units"]?.doubleValue == 1)
        #expect(usage["total"]?["billed_usd"]?.doubleValue == 0.22)
        #expect(usage["total"]?["spend_usd"]?.doubleValue == 0.22)
        #expect(usage["data"]?.arrayValue?.first?["billed_usd"]?.doubleValue == 0.22)

        #expect(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).status == 202)
        let refused = try await spool.request(.post, "/v1/jobs", key: key, json: submission())
        #expect(refused.json["error"]?["code"]?.stringValue == "budget_exceeded")

        let after = try await OperationsTests.scrape(spool)
        let model = ["model": exampleModel]
        #expect(OperationsTests.value(after, "spool_cost_usd_total", model.merging(["kind": "billed"]) { $1 })
            - OperationsTests.value(before, "spool_cost_usd_total", model.merging(["kind": "billed"]) { $1 }) == 0.224)
        #expect(OperationsTests.value(after, "spool_cost_usd_total", model.merging(["kind": "estimated"]) { $1 })
            - OperationsTests.value(before, "spool_cost_usd_total", model.merging(["kind": "estimated"]) { $1 }) == 1.12)
    }

    @Test("units from a model whose price the catalog does not know are kept without a price, and budgets keep the estimate")
    func unpricedUnits() async throws {
        let spool = try await TestGateway.start()
        defer { Task { await spool.stop() } }
        let key = try await spool.key(team: "marketing")
        let body = submission(extra: ["model": "kling-video-o3-standard-reference-to-video"])
        let id = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: body).json["id"]?.stringValue)
        _ = try await spool.waitUntilTerminal(id, key: key)
        await spool.gateway.tracker.context.record(FalReport(billableUnits: 5), for: id)
        let job = try await spool.request(.get, "/v1/jobs/\(id)", key: key).json
        #expect(job["cost"]?["billed_units"]?.doubleValue == 5)
        #expect(job["cost"]?["billed_usd"] == .null)
        let usage = try await spool.request(.get, "/v1/usage", key: key).json
        #expect(usage["total"]?["billed_units"]?.doubleValue == 5)
        #expect(usage["total"]?["billed_jobs"]?.integerValue == 0)
        #expect(usage["total"]?["spend_usd"] == usage["total"]?["estimated_usd"])
    }

    @Test("a job fal served from another endpoint says so on the job, in its history and in a metric; the same endpoint does not")
    func fallbackRecorded() async throws {
        let spool = try await TestGateway.start()
        defer { Task { await spool.stop() } }
        let key = try await spool.key(team: "marketing")
        let pinned = try await Self.completedJob(spool, key: key)
        let moved = try await Self.completedJob(spool, key: key)
        let context = spool.gateway.tracker.context
        await context.record(FalReport(servedFrom: "fal-ai/kling-video/o3/pro/reference-to-video"), for: pinned)
        await context.record(FalReport(servedFrom: Self.standardEndpoint), for: moved)

        let pinnedJob = try await spool.request(.get, "/v1/jobs/\(pinned)", key: key).json
        #expect(pinnedJob["fal_served_from"]?.stringValue == "fal-ai/kling-video/o3/pro/reference-to-video")
        #expect(pinnedJob["history"]?.arrayValue?.allSatisfy { !($0["note"]?.stringValue ?? "").contains("fallback") } == true)

        let movedJob = try await spool.request(.get, "/v1/jobs/\(moved)", key: key).json
        #expect(movedJob["fal_served_from"]?.stringValue == Self.standardEndpoint)
        let notes = movedJob["history"]?.arrayValue?.compactMap { $0["note"]?.stringValue } ?? []
        #expect(notes.contains { $0.contains("served it from \(Self.standardEndpoint)") && $0.contains("fallback") })

        let samples = try await OperationsTests.scrape(spool)
        #expect(OperationsTests.value(samples, "spool_fal_fallbacks_total",
                                      ["model": exampleModel, "served_from": Self.standardEndpoint]) == 1)
        #expect(OperationsTests.value(samples, "spool_fal_fallbacks_total") == 1)
    }
}
