import SpoolJSON
import SpoolSim
import SpoolStore
import SpoolTestSupport
import Testing
@testable import SpoolCore

/// End-to-end checks of the failure table: shutdown, lapsed claims, fal's verdicts, and what Spool reports.
@Suite("A job's fate: shutdown, leases, fal's verdicts and what Spool reports")
struct JobFateTests {
    static func submits(_ simulator: FalSimulator) -> Int {
        simulator.requestLog().filter { $0.method == "POST" && !$0.path.hasPrefix("/_sim") }.count
    }

    @Test("a gateway stopped in the middle of a submit leaves the job submitting, and the next gateway completes it")
    func shutdownMidSubmit() async throws {
        let directory = try TemporaryDirectory()
        let first = try await TestGateway.start(directory: directory, simulate: {
            $0.slowRate = 1
            $0.slowSeconds = 10
            $0.faultOperations = [.submit]
        })
        let key = try await first.key(team: "marketing")
        let id = try #require(try await first.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
        try await eventually("the job reaches fal", within: .seconds(20)) { Self.submits(first.simulator) == 1 }
        await first.stop()

        let stored = try await first.gateway.database.read { try JobQueries.job(id, on: $0) }
        #expect(stored?.status == .submitting)
        #expect(stored?.error == nil)

        try await withGateway(directory: directory) { second in
            let job = try await second.waitUntilTerminal(id, key: key, seconds: 30)
            #expect(job["status"]?.stringValue == "completed", "\(job["error"] ?? .null)")
        }
    }

    @Test("a gateway stopped while fetching a result leaves the job at fal, and the next gateway collects it")
    func shutdownMidResult() async throws {
        let directory = try TemporaryDirectory()
        let first = try await TestGateway.start(
            directory: directory, configure: { $0.fal.requestTimeoutSeconds = 20 },
            simulate: {
                $0.slowRate = 1
                $0.slowSeconds = 4
                $0.faultOperations = [.result]
            })
        try await withCleanup {
            let key = try await first.key(team: "marketing")
            let id = try #require(try await first.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            let isResultFetch: (SimRecordedRequest) -> Bool = {
                $0.method == "GET" && $0.path.contains("/requests/") && !$0.path.hasSuffix("/status")
            }
            try await eventually("the result fetch starts", within: .seconds(20)) {
                first.simulator.requestLog().contains(where: isResultFetch)
            }
            await first.gateway.shutdown()
            first.client.shutdown()

            let stored = try await first.gateway.database.read { try JobQueries.job(id, on: $0) }
            #expect(stored?.status.isAtFal == true)
            #expect(stored?.error == nil)

            try await withGateway(directory: directory, configure: { $0.fal.requestTimeoutSeconds = 20 }) { second in
                let job = try await second.waitUntilTerminal(id, key: key, seconds: 30)
                #expect(job["status"]?.stringValue == "completed", "\(job["error"] ?? .null)")
            }
        } cleanup: {
            await first.simulator.shutdown()
        }
    }

    @Test("a job cancelled while its submit is in flight has the fal request cancelled too")
    func cancelledDuringSubmit() async throws {
        try await withGateway(simulate: {
            $0.slowRate = 1
            $0.slowSeconds = 3
            $0.faultOperations = [.submit]
        }) { spool in
            let key = try await spool.key(team: "marketing")
            let id = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            try await eventually("the submit reaches fal", within: .seconds(20)) { Self.submits(spool.simulator) == 1 }
            let answer = try await spool.request(.post, "/v1/jobs/\(id)/cancel", key: key)
            #expect(answer.json["status"]?.stringValue == "cancelled")
            try await eventually("fal is asked to cancel", within: .seconds(20)) {
                spool.simulator.requestLog().contains { $0.method == "PUT" && $0.path.hasSuffix("/cancel") }
            }
            let job = try await spool.request(.get, "/v1/jobs/\(id)", key: key).json
            #expect(job["status"]?.stringValue == "cancelled")
            #expect(job["fal_request_id"] == .null)
        }
    }

    @Test("a submit that outlasts its lease keeps its claim: one fal request per job")
    func submitOutlastsLease() async throws {
        try await withGateway(
            configure: {
                $0.dispatch.leaseSeconds = 3
                $0.fal.requestTimeoutSeconds = 20
            },
            simulate: {
                $0.slowRate = 1
                $0.slowSeconds = 6
                $0.faultOperations = [.submit]
            }) { spool in
            let key = try await spool.key(team: "marketing")
            let first = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            try await eventually("the submit reaches fal", within: .seconds(20)) { Self.submits(spool.simulator) == 1 }
            // Once the first lease would have run out, a second job wakes the dispatcher, which looks for lapsed claims.
            let firstLeaseEnd = try #require(try await spool.gateway.database.read { connection in
                try connection.queryScalar("SELECT lease_expires_at FROM jobs WHERE id = ?", .text(first), as: Int64.self)
            })
            try await eventually("the first lease has run out", within: .seconds(20)) {
                Timestamp.now().milliseconds > firstLeaseEnd + 500
            }
            let second = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            for id in [first, second] {
                let job = try await spool.waitUntilTerminal(id, key: key, seconds: 30)
                #expect(job["status"]?.stringValue == "completed", "\(id): \(job["error"] ?? .null)")
            }
            #expect(Self.submits(spool.simulator) == 2)
        }
    }

    @Test("a completed run's result is fetched through plain 500 answers until it is had")
    func resultRetried() async throws {
        let proxy = ResultFaultProxy(endpoint: "fal-ai/kling-video/o3/pro/reference-to-video", plainFailures: 3)
        let proxyURL = try proxy.start()
        try await withCleanup {
            try await withGateway(
                configure: { $0.fal.queueURL = proxyURL },
                simulate: { $0.publicBaseURL = proxyURL }) { spool in
                proxy.pass(to: "http://127.0.0.1:\(spool.simulator.port)")
                let key = try await spool.key(team: "marketing")
                let id = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
                let job = try await spool.waitUntilTerminal(id, key: key, seconds: 30)
                #expect(job["status"]?.stringValue == "completed", "\(job["error"] ?? .null)")
                #expect(job["result"] != .null)
                #expect(proxy.failedResults == 3)
            }
        } cleanup: {
            await proxy.stop()
        }
    }

    @Test("a run fal rejects for its content ends upstream_validation; other run failures end upstream_error")
    func contentPolicy() async throws {
        try await withGateway(simulate: {
            // Half the runs fail inside the model; the emulator's content checker refuses the rest.
            $0.runErrorRate = 0.5
            $0.contentPolicyRate = 1
            $0.seed = 3
        }) { spool in
            let key = try await spool.key(team: "marketing")
            var ids: [String] = []
            for _ in 0..<6 {
                ids.append(try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue))
            }
            var codes: Set<String> = []
            for id in ids {
                let job = try await spool.waitUntilTerminal(id, key: key)
                #expect(job["status"]?.stringValue == "failed")
                let code = job["error"]?["code"]?.stringValue ?? ""
                let contentPolicy = job["error"]?["detail"]?["error_type"]?.stringValue == "content_policy_violation"
                #expect(code == (contentPolicy ? "upstream_validation" : "upstream_error"), "\(job["error"] ?? .null)")
                codes.insert(code)
            }
            #expect(codes.contains("upstream_validation"))
        }
    }

    @Test("a run never seen in_progress gets a start from fal's metrics, and its wait and run are timed")
    func missedInProgress() async throws {
        // The first poll (at once) finds the job queued; the next, 5 s later, finds it long completed.
        try await withGateway(
            configure: { $0.fal.pollIntervalSeconds = 5 },
            simulate: {
                $0.queueSeconds = 2
                $0.runSeconds = 0.2
            }) { spool in
            let key = try await spool.key(team: "marketing")
            let id = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            let job = try await spool.waitUntilTerminal(id, key: key)
            #expect(job["status"]?.stringValue == "completed")
            let statuses = job["history"]?.arrayValue?.compactMap { $0["status"]?.stringValue } ?? []
            #expect(!statuses.contains("in_progress"))
            let startedAt = try #require(job["started_at"]?.stringValue)
            let completedAt = try #require(job["completed_at"]?.stringValue)
            #expect(startedAt < completedAt)
            let samples = try await OperationsTests.scrape(spool)
            #expect(OperationsTests.value(samples, "spool_job_wait_seconds_count") == 1)
            #expect(OperationsTests.value(samples, "spool_job_run_seconds_count") == 1)
        }
    }

    @Test("a cancelled job is counted as finished, and fal's cancel call is counted")
    func cancelCounted() async throws {
        try await withGateway(simulate: { $0.runSeconds = 30 }) { spool in
            let key = try await spool.key(team: "marketing")
            let id = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            _ = try await spool.waitForJob(id, key: key) { $0["status"]?.stringValue == "in_progress" }
            let answer = try await spool.request(.post, "/v1/jobs/\(id)/cancel", key: key)
            #expect(answer.json["status"]?.stringValue == "cancelled")
            let metrics = try await spool.request(.get, "/metrics").text
            #expect(metrics.contains(#"spool_jobs_finished_total{replica="\#(spool.gateway.metrics.replica)",status="cancelled"} 1"#))
            let cancelLines = metrics.split(separator: "\n").filter {
                $0.hasPrefix("spool_fal_requests_total") && $0.contains(#"operation="cancel""#)
            }
            #expect(!cancelLines.isEmpty)
        }
    }

    @Test("a replayed event carries the job as it was at that event, not the finished job")
    func replayedSnapshots() async throws {
        try await withGateway { spool in
            let key = try await spool.key(team: "marketing")
            let id = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            _ = try await spool.waitUntilTerminal(id, key: key)
            let events = ServerSentEvents.parse(try await spool.request(.get, "/v1/jobs/\(id)/events", key: key).text)
                .filter { $0.id != nil }
                .map { try? JSONValue(parsing: $0.data) }
            let queued = try #require(events.first ?? nil)
            #expect(queued["status"]?.stringValue == "queued")
            #expect(queued["result"] == .null)
            #expect(queued["completed_at"] == .null)
            #expect(queued["attempts"]?.integerValue == 0)
            let accepted = try #require(events.first { $0?["status"]?.stringValue == "in_queue" } ?? nil)
            #expect(accepted["result"] == .null)
            #expect(accepted["fal_request_id"] != .null)
            #expect(queued["fal_request_id"] == .null)
            let completed = try #require(events.last ?? nil)
            #expect(completed["status"]?.stringValue == "completed")
            #expect(completed["result"] != .null)
            #expect(completed["completed_at"] != .null)
        }
    }
}
