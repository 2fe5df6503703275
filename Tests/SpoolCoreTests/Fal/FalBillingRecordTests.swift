import SpoolFal
import SpoolJSON
import Testing
@testable import SpoolCore

/// Budgets and usage once fal's billed figures are known, against the emulator (which bills the seconds of
/// video, as the estimate does) and, for a figure that differs from the estimate, through the workers' own
/// recording path (`WorkerContext.record`) on the same real gateway and database.
@Suite("Billed figures in budgets and usage")
struct FalBillingRecordTests {
    /// Submits `body` for `key` and waits until the job is completed with billed units.
    static func billedJob(_ spool: TestGateway, key: String, body: JSONValue = submission()) async throws -> JSONValue {
        let id = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: body).json["id"]?.stringValue)
        let job = try await spool.waitForJob(id, key: key) {
            $0["status"]?.stringValue == "completed" && $0["cost"]?["billed_units"]?.doubleValue != nil
        }
        #expect(job["cost"]?["billed_units"]?.doubleValue == 5)
        return job
    }

    @Test("the daily budget counts what fal billed once known, not the estimate")
    func budgetUsesBilledFigure() async throws {
        // 5 s at 0.224 USD: 1.12 estimated per job. By estimates a second job would pass 1.5 USD; once fal's
        // figure for the first says 1 unit (0.224 USD), there is room for it.
        try await withGateway(configure: { $0.teams.overrides["marketing"] = .init(dailyBudgetUSD: 1.5) }) { spool in
            let key = try await spool.key(team: "marketing")
            let first = try #require(try await Self.billedJob(spool, key: key)["id"]?.stringValue)
            let refused = try await spool.request(.post, "/v1/jobs", key: key, json: submission())
            #expect(refused.json["error"]?["code"]?.stringValue == "budget_exceeded")

            await spool.gateway.tracker.context.record(FalReport(billableUnits: 1), for: first)
            let billed = try await spool.request(.get, "/v1/jobs/\(first)", key: key).json
            #expect(billed["cost"] == ["estimated_usd": 1.12, "billed_units": 1.0, "billed_usd": 0.224])
            let usage = try await spool.request(.get, "/v1/usage", key: key).json["total"]
            #expect(usage?["estimated_usd"]?.doubleValue == 1.12)
            #expect(usage?["billed_units"]?.doubleValue == 1)
            #expect(usage?["billed_usd"]?.doubleValue == 0.22)
            #expect(usage?["spend_usd"]?.doubleValue == 0.22)
            #expect(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).status == 202)
        }
    }

    @Test("units of a model whose price the catalog does not know are kept without a price, and usage keeps its estimate")
    func unpricedUnits() async throws {
        try await withGateway { spool in
            let key = try await spool.key(team: "marketing")
            let job = try await Self.billedJob(
                spool, key: key, body: submission(extra: ["model": "kling-video-o3-standard-reference-to-video"]))
            #expect(job["cost"]?["billed_usd"] == .null)
            let usage = try await spool.request(.get, "/v1/usage", key: key).json["total"]
            #expect(usage?["billed_units"]?.doubleValue == 5)
            #expect(usage?["billed_jobs"]?.integerValue == 0)
            #expect(usage?["spend_usd"] == usage?["estimated_usd"])
        }
    }
}
