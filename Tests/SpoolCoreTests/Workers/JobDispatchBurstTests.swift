import Foundation
import SpoolJSON
import SpoolSim
import Testing
@testable import SpoolCore

/// The dispatcher under a burst of submits, end to end against the emulator: every job reaches fal once, no more
/// submits are in flight than the dispatcher has slots for, and the in-flight caps hold while the burst drains.
@Suite("Dispatch: a burst of submits reaches fal, once each, within the caps")
struct JobDispatchBurstTests {
    /// Submits `count` jobs for `key` at once, each with its number in the prompt; returns their ids.
    static func burst(_ spool: TestGateway, key: String, count: Int, label: String) async throws -> [String] {
        try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<count {
                group.addTask {
                    var input = exampleInput.objectValue ?? [:]
                    input["prompt"] = .string("@Element1 walks through @Image1, \(label) \(index)")
                    let answer = try await spool.request(.post, "/v1/jobs", key: key, json: submission(.object(input)))
                    return try #require(answer.json["id"]?.stringValue, "submit answered \(answer.status)")
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    /// The stored jobs by status, read until `condition` holds (or 60 s pass); returns every reading, last one
    /// last, so that a test can check what held all along.
    static func watchJobs(
        _ spool: TestGateway, until condition: ([JobStatus: Int]) -> Bool
    ) async throws -> [[JobStatus: Int]] {
        let deadline = ContinuousClock.now + .seconds(60)
        var readings: [[JobStatus: Int]] = []
        while ContinuousClock.now < deadline {
            let jobs = try await spool.gateway.store.jobs(JobListFilter(limit: 10_000))
            let counts = jobs.reduce(into: [JobStatus: Int]()) { $0[$1.status, default: 0] += 1 }
            readings.append(counts)
            if condition(counts) { return readings }
            try await Task.sleep(for: .milliseconds(20))
        }
        return readings
    }

    /// The submits the emulator received.
    static func submitsReceived(_ spool: TestGateway) -> [SimRecordedRequest] {
        spool.simulator.requestLog().filter { $0.method == "POST" && !$0.path.hasPrefix("/_sim") }
    }

    @Test("a burst of jobs all reach fal, each submitted exactly once and holding its own fal request id")
    func burstReachesFalOnce() async throws {
        let jobs = 300
        let spool = try await TestGateway.start(configure: {
            $0.dispatch.maxInflight = jobs + 10
        }, simulate: {
            $0.queueSeconds = 0
            $0.runSeconds = 600
            $0.logInterval = 600
            $0.concurrency = jobs + 10
        })
        try await spool.stopping { spool in
            let key = try await spool.key(team: "marketing")
            let ids = try await Self.burst(spool, key: key, count: jobs, label: "burst job")
            #expect(Set(ids).count == jobs)

            let readings = try await Self.watchJobs(spool) { ($0[.inQueue] ?? 0) + ($0[.inProgress] ?? 0) == jobs }
            let last = try #require(readings.last)
            #expect((last[.inQueue] ?? 0) + (last[.inProgress] ?? 0) == jobs)

            let prompts = Self.submitsReceived(spool).compactMap { request -> String? in
                (try? JSONValue(parsing: Array(request.body.utf8)))?["prompt"]?.stringValue
            }
            #expect(prompts.count == jobs, "the emulator received \(prompts.count) submits for \(jobs) jobs")
            #expect(Set(prompts).count == jobs, "some job was submitted more than once")
            let stored = try await spool.gateway.store.jobs(JobListFilter(limit: 10_000))
            let requestIDs = Set(stored.compactMap { $0.fal?.requestID })
            #expect(requestIDs.count == jobs)
            #expect(stored.allSatisfy { $0.attempts == 1 })
        }
    }

    @Test("no more submits are in flight than the dispatcher's slots: the rest of a burst waits queued, unclaimed")
    func submitsBoundedBySlots() async throws {
        let slots = JobDispatcher.defaultSubmitConcurrency
        let jobs = slots + 36
        let spool = try await TestGateway.start(configure: {
            $0.dispatch.maxInflight = jobs + 10
            $0.fal.requestTimeoutSeconds = 30
        }, simulate: {
            $0.queueSeconds = 0
            $0.runSeconds = 600
            $0.logInterval = 600
            $0.concurrency = jobs + 10
            $0.submitDelaySeconds = 2
        })
        try await spool.stopping { spool in
            let key = try await spool.key(team: "marketing")
            _ = try await Self.burst(spool, key: key, count: jobs, label: "slow submit")

            let readings = try await Self.watchJobs(spool) { ($0[.inQueue] ?? 0) + ($0[.inProgress] ?? 0) == jobs }
            let last = try #require(readings.last)
            #expect((last[.inQueue] ?? 0) + (last[.inProgress] ?? 0) == jobs)
            let mostSubmitting = readings.map { $0[.submitting] ?? 0 }.max() ?? 0
            #expect(mostSubmitting <= slots, "\(mostSubmitting) jobs submitting at once")
            // While the first slots' submits hang at the emulator, the jobs past them are still queued.
            #expect(readings.contains { ($0[.submitting] ?? 0) == slots && ($0[.queued] ?? 0) > 0 })
            #expect(Self.submitsReceived(spool).count == jobs)
        }
    }

    @Test("under a burst from two teams the global and per-team in-flight caps hold, and each team gets its share")
    func capsHoldUnderBurst() async throws {
        let globalCap = 15, teamCap = 10
        let spool = try await TestGateway.start(configure: {
            $0.dispatch.maxInflight = globalCap
            $0.teams.defaults.maxInflight = teamCap
        }, simulate: {
            $0.queueSeconds = 0
            $0.runSeconds = 600
            $0.logInterval = 600
            $0.concurrency = 100
        })
        try await spool.stopping { spool in
            let marketing = try await spool.key(team: "marketing")
            let research = try await spool.key(team: "research")
            async let first = Self.burst(spool, key: marketing, count: 40, label: "marketing job")
            async let second = Self.burst(spool, key: research, count: 40, label: "research job")
            _ = try await (first, second)

            let readings = try await Self.watchJobs(spool) {
                ($0[.inQueue] ?? 0) + ($0[.inProgress] ?? 0) == globalCap && ($0[.queued] ?? 0) == 80 - globalCap
            }
            #expect(readings.allSatisfy { ($0[.submitting] ?? 0) + ($0[.inQueue] ?? 0) + ($0[.inProgress] ?? 0) <= globalCap })
            let stored = try await spool.gateway.store.jobs(JobListFilter(limit: 1000))
            let atFal = stored.filter { $0.status == .inQueue || $0.status == .inProgress }
            #expect(atFal.count == globalCap)
            for team in ["marketing", "research"] {
                let count = atFal.filter { $0.team == team }.count
                #expect(count <= teamCap, "\(team) has \(count) jobs at fal")
                #expect(count >= globalCap - teamCap, "\(team) has \(count) jobs at fal")
            }
            #expect(Self.submitsReceived(spool).count == globalCap)
        }
    }
}
