import SpoolJSON
import SpoolStore
import SpoolTestSupport
import Testing
@testable import SpoolCore

@Suite("Operations: metrics, queue depth, health, quotas, budgets and usage")
struct OperationsTests {
    /// Samples of /metrics as Prometheus's own Python parser reads them.
    static func scrape(_ spool: TestGateway) async throws -> [(name: String, labels: [String: String], value: Double)] {
        let outcome = try await PythonScript.run("metrics_check.py", [spool.baseURL + "/metrics"])
        #expect(outcome.status == 0, "\(outcome.output)")
        return outcome.output.split(separator: "\n").compactMap { line in
            guard let sample = try? JSONValue(parsing: String(line)), let name = sample["name"]?.stringValue else { return nil }
            var labels: [String: String] = [:]
            for (key, value) in sample["labels"]?.objectValue ?? [:] { labels[key] = value.stringValue }
            return (name, labels, sample["value"]?.doubleValue ?? .nan)
        }
    }

    static func value(_ samples: [(name: String, labels: [String: String], value: Double)], _ name: String,
                      _ labels: [String: String] = [:]) -> Double {
        samples.filter { sample in sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value } }
            .reduce(0) { $0 + $1.value }
    }

    @Test("/metrics parses as Prometheus text and its figures move as jobs move")
    func metricsMove() async throws {
        try await withGateway { spool in
            let key = try await spool.key(team: "marketing")
            let before = try await Self.scrape(spool)
            var ids: [String] = []
            for _ in 0..<3 {
                ids.append(try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue))
            }
            for id in ids { _ = try await spool.waitUntilTerminal(id, key: key) }
            let after = try await Self.scrape(spool)
            #expect(Self.value(after, "spool_jobs_submitted_total") - Self.value(before, "spool_jobs_submitted_total") == 3)
            #expect(Self.value(after, "spool_jobs_finished_total", ["status": "completed"])
                - Self.value(before, "spool_jobs_finished_total", ["status": "completed"]) == 3)
            #expect(Self.value(after, "spool_fal_requests_total", ["operation": "submit", "outcome": "ok"]) >= 3)
            #expect(Self.value(after, "spool_fal_requests_total", ["operation": "result", "outcome": "ok"]) >= 3)
            #expect(Self.value(after, "spool_http_requests_total", ["route": "/v1/jobs", "method": "POST", "status": "202"]) == 3)
            #expect(Self.value(after, "spool_job_run_seconds_count") >= 3)
            #expect(Self.value(after, "spool_inflight_limit") == 16)
            #expect(Self.value(after, "spool_ready") == 1)
        }
    }

    @Test("/v1/queue matches the jobs actually stored, per status and per team")
    func queueMatchesStore() async throws {
        try await withGateway(configure: { $0.dispatch.maxInflight = 2 }, simulate: { $0.runSeconds = 30 }) { spool in
            let admin = try await spool.key(team: "ops", admin: true)
            for team in ["marketing", "research"] {
                let key = try await spool.key(team: team)
                for _ in 0..<3 { _ = try await spool.request(.post, "/v1/jobs", key: key, json: submission()) }
            }
            let queue = try await lastRead({ try await spool.request(.get, "/v1/queue", key: admin).json },
                                           until: { $0["depth"]?["in_progress"]?.integerValue == 2 })
            let stored = try await spool.gateway.store.jobs(JobListFilter(limit: 1000))
            for status in JobStatus.allCases where !status.isTerminal {
                let count = stored.filter { $0.status == status }.count
                #expect(queue["depth"]?[status.rawValue]?.integerValue == Int64(count), "\(status)")
            }
            #expect(queue["depth"]?["queued"]?.integerValue == 4)
            #expect(queue["inflight"] == ["current": 2, "limit": 2])
            #expect((queue["oldest_queued_age_seconds"]?.doubleValue ?? -1) >= 0)
            let teams = queue["teams"]?.arrayValue ?? []
            #expect(teams.count == 2)
            #expect(teams.reduce(0) { $0 + ($1["queued"]?.integerValue ?? 0) } == 4)
            #expect(queue["last_5m"] == ["completed": 0, "failed": 0, "cancelled": 0])
        }
    }

    @Test("the queued quota refuses exactly at its limit with 429 and Retry-After, and recovers")
    func queuedQuota() async throws {
        try await withGateway(
            configure: {
                $0.dispatch.maxInflight = 1
                $0.teams.defaults.maxQueued = 2
            }, simulate: { $0.runSeconds = 30 }) { spool in
            let key = try await spool.key(team: "marketing")
            let first = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            _ = try await spool.waitForJob(first, key: key) { $0["status"]?.stringValue != "queued" }
            var waiting: [String] = []
            for _ in 0..<2 {
                let answer = try await spool.request(.post, "/v1/jobs", key: key, json: submission())
                #expect(answer.status == 202)
                waiting.append(answer.json["id"]?.stringValue ?? "")
            }
            let refused = try await spool.request(.post, "/v1/jobs", key: key, json: submission())
            #expect(refused.status == 429)
            #expect(refused.json["error"]?["code"]?.stringValue == "quota_exceeded")
            #expect(refused.headers["Retry-After"] != nil)
            // Another team has its own quota.
            let other = try await spool.key(team: "research")
            #expect(try await spool.request(.post, "/v1/jobs", key: other, json: submission()).status == 202)
            _ = try await spool.request(.post, "/v1/jobs/\(waiting[0])/cancel", key: key)
            #expect(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).status == 202)
        }
    }

    @Test("the daily budget refuses the job that would pass it; usage reports spend per day and model")
    func budgetAndUsage() async throws {
        try await withGateway(configure: { $0.teams.overrides["marketing"] = .init(dailyBudgetUSD: 2.24) }) { spool in
            let key = try await spool.key(team: "marketing")
            #expect(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).status == 202)
            #expect(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).status == 202)
            let refused = try await spool.request(.post, "/v1/jobs", key: key, json: submission())
            #expect(refused.status == 429)
            #expect(refused.json["error"]?["code"]?.stringValue == "budget_exceeded")
            let other = try await spool.key(team: "research")
            #expect(try await spool.request(.post, "/v1/jobs", key: other, json: submission()).status == 202)

            let usage = try await spool.request(.get, "/v1/usage", key: key).json
            #expect(usage["total"]?["jobs"]?.integerValue == 2)
            #expect(usage["total"]?["estimated_usd"]?.doubleValue == 2.24)
            #expect(usage["data"]?.arrayValue?.first?["model"]?.stringValue == exampleModel)
            let admin = try await spool.key(team: "ops", admin: true)
            #expect(try await spool.request(.get, "/v1/usage", key: admin).json["total"]?["jobs"]?.integerValue == 3)
            #expect(try await spool.request(.get, "/v1/usage?team=research", key: admin).json["total"]?["jobs"]?.integerValue == 1)
            #expect(try await spool.request(.get, "/v1/usage?from=yesterday", key: key).status == 422)
        }
    }

    @Test("/healthz is ok; /readyz is ready with every check passing")
    func health() async throws {
        try await withGateway { spool in
            let healthy = try await spool.request(.get, "/healthz")
            #expect(healthy.status == 200 && healthy.json == ["status": "ok"])
            let ready = try await spool.request(.get, "/readyz")
            #expect(ready.status == 200)
            #expect(ready.json["status"]?.stringValue == "ready")
        }
    }
}
