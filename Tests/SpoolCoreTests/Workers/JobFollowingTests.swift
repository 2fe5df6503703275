import Foundation
import SpoolFal
import SpoolJSON
import SpoolSim
import SpoolTestSupport
import Testing
@testable import SpoolCore

/// How the tracker follows jobs at fal, end to end against the emulator: the status calls it makes are counted in
/// the emulator's request log.
@Suite("Following jobs: adaptive polls under one status-call budget")
struct JobFollowingTests {
    /// The arrival times of the status calls the emulator received, once there are at least `count` of them
    /// (or, with `spanning`, once they span that many seconds); throws when that does not happen in 60 s.
    static func statusCalls(_ spool: TestGateway, count: Int = 1, spanning seconds: Double = 0) async throws -> [Date] {
        var calls: [Date] = []
        try await eventually("\(count) status calls spanning \(seconds) s", within: .seconds(60)) {
            calls = spool.simulator.requestLog().filter { $0.method == "GET" && $0.path.hasSuffix("/status") }.map(\.at)
            guard calls.count >= count, let first = calls.first, let last = calls.last else { return false }
            return last.timeIntervalSince(first) >= seconds
        }
        return calls
    }

    @Test("a job that does not change is polled less and less often")
    func pollsSlowDown() async throws {
        let base = 0.05
        try await withGateway(configure: {
            $0.fal.pollIntervalSeconds = base
            $0.fal.pollMaxIntervalSeconds = 1
        }, simulate: {
            $0.queueSeconds = 0
            $0.runSeconds = 600
            $0.logInterval = 600
        }) { spool in
            let key = try await spool.key(team: "marketing")
            let id = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            let job = try await spool.waitForJob(id, key: key) { $0["status"]?.stringValue == "in_progress" }
            #expect(job["status"]?.stringValue == "in_progress")

            let calls = try await Self.statusCalls(spool, count: 12)
            let polls = Array(calls.prefix(12))
            let span = try #require(polls.last).timeIntervalSince(try #require(polls.first))
            // At a fixed interval twelve polls would span about 12 × base; backing off, they span seconds.
            #expect(Double(polls.count) < span / base / 4, "12 polls in \(span) s")
            // Delays are lower bounds (a loaded machine only makes them longer): the twelfth poll came at least ten
            // base intervals after the eleventh.
            #expect(polls[11].timeIntervalSince(polls[10]) >= 10 * base)
        }
    }

    @Test("with a budget of N status calls a second, many jobs in progress make at most about N a second")
    func budgetCapsStatusCalls() async throws {
        let perSecond = 5.0
        let jobs = 20
        try await withGateway(configure: {
            $0.fal.pollIntervalSeconds = 0.01
            $0.fal.pollMaxIntervalSeconds = 0.02
            $0.fal.maxStatusCallsPerSecond = perSecond
            $0.dispatch.maxInflight = jobs + 5
        }, simulate: {
            $0.queueSeconds = 0
            $0.runSeconds = 600
            $0.logInterval = 600
            $0.concurrency = jobs + 5
        }) { spool in
            let key = try await spool.key(team: "marketing")
            for _ in 0..<jobs {
                #expect(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).status == 202)
            }
            try await eventually("every job is followed", within: .seconds(60)) {
                spool.gateway.tracker.followedCount >= jobs
            }
            #expect(spool.gateway.tracker.followedCount == jobs)
            let calls = try await Self.statusCalls(spool, spanning: 3)
            let end = try #require(calls.last)
            let window = calls.filter { end.timeIntervalSince($0) <= 2 }
            // Unbudgeted, 20 jobs polled every 10–20 ms would make about a thousand calls a second. Budgeted: two
            // seconds' worth, plus the one-second burst the bucket holds, plus slack for the window's edges.
            #expect(window.count <= Int(perSecond) * 2 + Int(perSecond) + 2, "\(window.count) status calls in 2 s")

            let samples = try await OperationsTests.scrape(spool)
            #expect(OperationsTests.value(samples, "spool_fal_status_calls_total", ["outcome": "made"]) >= Double(window.count))
            #expect(OperationsTests.value(samples, "spool_fal_status_calls_total", ["outcome": "deferred"]) > 0)
            #expect(OperationsTests.value(samples, "spool_fal_followed_jobs") == Double(jobs))
        }
    }

    @Test("a report of fal's that repeats the billing the follower holds is settled without the database")
    func repeatedReportFromMemory() async throws {
        try await withGateway { spool in
            let context = spool.gateway.tracker.context
            let known = JobBilling(servedFrom: "fal-ai/kling-video/o3/pro/reference-to-video", billedUnits: 5, billedUSD: 1.12)
            let repeated = FalReport(billableUnits: 5, servedFrom: "fal-ai/kling-video/o3/pro/reference-to-video")
            // No job has this id: only an answer from memory can give the billing back; the database knows nothing.
            #expect(await context.record(repeated, for: "job_unknown", known: known) == known)
            #expect(await context.record(repeated, for: "job_unknown") == nil)
        }
    }
}
