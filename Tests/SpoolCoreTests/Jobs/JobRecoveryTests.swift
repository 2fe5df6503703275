import SpoolJSON
import SpoolStore
import SpoolTestSupport
import Testing
@testable import SpoolCore

@Suite("Restarts and fairness")
struct JobRecoveryTests {
    @Test("a gateway restarted on the same database finishes jobs left in every state")
    func restart() async throws {
        let directory = try TemporaryDirectory()
        let first = try await TestGateway.start(
            directory: directory, configure: { $0.dispatch.maxInflight = 3 },
            simulate: {
                $0.concurrency = 1
                $0.runSeconds = 1.5
            })
        try await withCleanup {
            let key = try await first.key(team: "marketing")
            var ids: [String] = []
            for _ in 0..<6 {
                ids.append(try #require(try await first.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue))
            }
            _ = try await first.waitForJob(ids[0], key: key) { $0["status"]?.stringValue == "in_progress" }
            _ = try await first.waitForJob(ids[2], key: key) { $0["status"]?.stringValue == "in_queue" }
            await first.gateway.shutdown()

            // What a process that died in the middle of a submit leaves behind: a claimed job without a request id.
            let interrupted = ids[5]
            _ = try await first.gateway.database.write { connection in
                try connection.run(
                    "UPDATE jobs SET status = 'submitting', attempts = 1, lease_owner = 'proc_dead', lease_expires_at = ? WHERE id = ?",
                    .integer(Timestamp.now().adding(seconds: 600).milliseconds), .text(interrupted))
            }
            let states = try await first.gateway.database.read { connection in
                try connection.query("SELECT status FROM jobs").map { try $0.string("status") }
            }
            #expect(Set(states).isSuperset(of: ["queued", "submitting", "in_queue", "in_progress"]))

            try await withGateway(directory: directory, configure: {
                $0.fal.queueURL = first.simulator.baseURL
            }) { second in
                for id in ids {
                    let job = try await second.waitUntilTerminal(id, key: key, seconds: 60)
                    #expect(job["status"]?.stringValue == "completed", "\(id)")
                }
                let resubmitted = try await second.request(.get, "/v1/jobs/\(ids[5])", key: key).json
                let notes = resubmitted["history"]?.arrayValue?.compactMap { $0["note"]?.stringValue } ?? []
                #expect(notes.contains { $0.contains("resubmitting") })
                // Jobs that were at fal were followed, not submitted again.
                let submits = first.simulator.requestLog().filter { $0.method == "POST" && !$0.path.hasPrefix("/_sim") }
                #expect(submits.count <= 7)
            }
        } cleanup: {
            await first.simulator.shutdown()
        }
    }

    @Test("a thousand jobs from three teams all complete, and a flood from one team does not starve the others")
    func fairShare() async throws {
        try await withGateway(
            configure: { $0.dispatch.maxInflight = 8 },
            simulate: {
                $0.queueSeconds = 0
                $0.runSeconds = 0.02
                $0.concurrency = 8
            }) { spool in
            let teams = ["flood": 800, "steady": 150, "small": 50]
            var keys: [String: String] = [:]
            for team in teams.keys { keys[team] = try await spool.key(team: team) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (team, count) in teams {
                    let key = keys[team]!
                    group.addTask {
                        for _ in 0..<count {
                            let answer = try await spool.request(.post, "/v1/jobs", key: key, json: submission())
                            #expect(answer.status == 202)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let admin = try await spool.key(team: "ops", admin: true)
            try await eventually("the queue is empty", within: .seconds(120)) {
                let queue = try await spool.request(.get, "/v1/queue", key: admin).json
                return queue["depth"]?.objectValue?.reduce(0) { $0 + Int($1.value.integerValue ?? 0) } == 0
            }
            let (finished, order) = try await spool.gateway.database.read { connection in
                let finished = try connection.queryScalar("SELECT count(*) FROM jobs WHERE status = 'completed'", as: Int.self) ?? 0
                let order = try connection.query(
                    """
                    SELECT j.team FROM job_events e JOIN jobs j ON j.id = e.job_id
                    WHERE e.status = 'submitting' ORDER BY e.at, j.seq
                    """
                ).map { try $0.string("team") }
                return (finished, order)
            }
            #expect(finished == 1000)
            // While all three teams had work waiting, each got a fair share of the slots: among the first 150
            // dispatches, the small team's 50 jobs all went out, well before the flood was through.
            let early = order.prefix(150)
            #expect(early.filter { $0 == "small" }.count >= 40)
            #expect(early.filter { $0 == "steady" }.count >= 40)
        }
    }
}
