import SpoolJSON
import SpoolStore
import SpoolTestSupport
import Testing
@testable import SpoolCore

/// The rescuer, end to end: jobs left in an active status with nothing moving them are put back on their way.
@Suite("The rescuer: jobs nothing moves forward")
struct JobRescuerTests {
    /// A rescuer of `spool`'s gateway that does not wait for jobs to settle.
    static func rescuer(_ spool: TestGateway) -> JobRescuer {
        let gateway = spool.gateway
        return JobRescuer(context: gateway.tracker.context, tracker: gateway.tracker, dispatcher: gateway.dispatcher, graceSeconds: 0)
    }

    @Test("a job at fal that this process no longer follows is followed again and completes; the rescue is counted")
    func followsAgain() async throws {
        // A run long enough that the sweep below comes before it ends: a poll in flight when the follower is dropped
        // could otherwise see COMPLETED and save the result, and a job with its result saved is not the rescuer's.
        try await withGateway(simulate: { $0.runSeconds = 5 }) { spool in
            let key = try await spool.key(team: "marketing")
            let id = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            _ = try await spool.waitForJob(id, key: key) { ["in_queue", "in_progress"].contains($0["status"]?.stringValue ?? "") }
            // The job is visible at fal a moment before the dispatcher hands it to the tracker: let that happen first,
            // or the hand-off would follow it again after the follower is dropped below.
            try await eventually("the tracker follows the job") { spool.gateway.tracker.isFollowing(id) }
            // The follower is lost (what a dropped tracker entry leaves): the job is at fal and nothing asks about it.
            spool.gateway.tracker.stopFollowing(id)
            #expect(!spool.gateway.tracker.isFollowing(id))

            let outcome = try await Self.rescuer(spool).sweep(at: .now())
            // The gateway's own rescuer (every 15 s) may come first on a loaded machine; the counter below says
            // that one of the two followed it, once.
            #expect(outcome.followed == [id] || outcome.followed.isEmpty)
            #expect(outcome.requeued.isEmpty)
            let job = try await spool.waitUntilTerminal(id, key: key)
            #expect(job["status"]?.stringValue == "completed")
            // Sent to fal once: followed, not submitted again.
            #expect(spool.simulator.requestLog().filter { $0.method == "POST" && !$0.path.hasPrefix("/_sim") }.count == 1)

            let samples = try await OperationsTests.scrape(spool)
            #expect(OperationsTests.value(samples, "spool_jobs_rescued_total", ["action": "followed"]) == 1)
            #expect(OperationsTests.value(samples, "spool_jobs_rescued_total", ["action": "requeued"]) == 0)
            // A job followed already, or ended, is left alone.
            #expect(try await Self.rescuer(spool).sweep(at: .now()) == JobRescuer.Outcome())
        }
    }

    @Test("a job whose file copy ended on a database error has its copy resumed and completes; the rescue is counted")
    func resumesStoppedCopy() async throws {
        try await withGateway { spool in
            // The database refuses to complete any job: the copy stores the file, fails to record the completion, and
            // ends, leaving the job at fal with its result saved and nothing moving it.
            _ = try await spool.gateway.database.write { connection in
                try connection.run(
                    """
                    CREATE TRIGGER refuse_completion BEFORE UPDATE OF status ON jobs WHEN NEW.status = 'completed'
                    BEGIN SELECT RAISE(ABORT, 'completion refused by the test'); END
                    """)
            }
            let key = try await spool.key(team: "marketing")
            let id = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            try await eventually("the copy ended without completing the job", within: .seconds(20)) {
                let job = try await spool.gateway.store.job(id)
                let files = try await spool.gateway.fileRecords.files(of: id)
                return job?.status.isAtFal == true && !files.isEmpty && files.allSatisfy { $0.state == .stored }
                    && !spool.gateway.capture.isCopying(id)
            }
            _ = try await spool.gateway.database.write { connection in try connection.run("DROP TRIGGER refuse_completion") }

            let outcome = try await Self.rescuer(spool).sweep(at: .now())
            // As above, the gateway's own rescuer may come first; the counter says the copy was resumed once.
            #expect(outcome.resumed == [id] || outcome.resumed.isEmpty)
            #expect(outcome.followed.isEmpty)
            let job = try await spool.waitUntilTerminal(id, key: key)
            #expect(job["status"]?.stringValue == "completed")
            #expect(job.firstFile?["stored"] == true, "\(job)")
            let samples = try await OperationsTests.scrape(spool)
            #expect(OperationsTests.value(samples, "spool_jobs_rescued_total", ["action": "resumed"]) == 1)
            #expect(try await Self.rescuer(spool).sweep(at: .now()) == JobRescuer.Outcome())
        }
    }

    @Test("a job at fal without a fal request id goes back to the queue, is submitted again and completes")
    func requeuesWithoutRequestID() async throws {
        let directory = try TemporaryDirectory()
        let first = try await TestGateway.start(directory: directory, simulate: { $0.runSeconds = 600 })
        let key = try await first.key(team: "marketing")
        let id = try #require(try await first.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
        await first.stop()
        // What no path should leave, and the rescuer still handles: at fal by its status, with no request to follow.
        _ = try await first.gateway.database.write { connection in
            try connection.run(
                """
                UPDATE jobs SET status = 'in_progress', fal_request_id = NULL, fal_status_url = NULL,
                    fal_response_url = NULL, fal_cancel_url = NULL, lease_owner = NULL, lease_expires_at = NULL
                WHERE id = ?
                """, .text(id))
        }

        try await withGateway(directory: directory) { second in
            #expect(!second.gateway.tracker.isFollowing(id))
            let outcome = try await Self.rescuer(second).sweep(at: .now())
            #expect(outcome.requeued == [id])
            let job = try await second.waitUntilTerminal(id, key: key)
            #expect(job["status"]?.stringValue == "completed")
            let notes = job["history"]?.arrayValue?.compactMap { $0["note"]?.stringValue } ?? []
            #expect(notes.contains { $0.hasPrefix("rescued:") })

            let samples = try await OperationsTests.scrape(second)
            #expect(OperationsTests.value(samples, "spool_jobs_rescued_total", ["action": "requeued"]) == 1)
        }
    }

    @Test("a claim whose lease lapsed is queued again by the sweep and counted")
    func lapsedClaim() async throws {
        try await withGateway { spool in
            let key = try await spool.key(team: "marketing")
            // A claim held by a process that died: in `submitting`, its lease run out a minute ago.
            let lapsed = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            _ = try await spool.waitUntilTerminal(lapsed, key: key)
            _ = try await spool.gateway.database.write { connection in
                try connection.run(
                    """
                    UPDATE jobs SET status = 'submitting', fal_request_id = NULL, fal_status_url = NULL,
                        fal_response_url = NULL, fal_cancel_url = NULL, result = NULL, completed_at = NULL,
                        lease_owner = 'proc_gone', lease_expires_at = ?
                    WHERE id = ?
                    """, .integer(Timestamp.now().adding(seconds: -60).milliseconds), .text(lapsed))
            }
            _ = try await Self.rescuer(spool).sweep(at: .now())
            let job = try await spool.waitForJob(lapsed, key: key) { job in
                let notes = job["history"]?.arrayValue?.compactMap { $0["note"]?.stringValue } ?? []
                return notes.contains { $0.hasPrefix("resubmitting") } && job["status"]?.stringValue == "completed"
            }
            #expect(job["status"]?.stringValue == "completed")
            #expect(job["attempts"]?.integerValue == 2)
            let samples = try await OperationsTests.scrape(spool)
            #expect(OperationsTests.value(samples, "spool_jobs_rescued_total", ["action": "requeued"]) >= 1)
        }
    }
}
