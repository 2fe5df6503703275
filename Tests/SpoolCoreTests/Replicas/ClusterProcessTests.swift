import Foundation
import Synchronization
import SpoolFal
import SpoolJSON
import SpoolPostgresTesting
import Testing
@testable import SpoolCore

/// Three real `spool serve` processes on one PostgreSQL database and one emulator (`SpoolCluster`): work spread
/// over them, one killed under load, all three restarted in turn under load.
@Suite("A cluster of three spool processes",
       .enabled(if: PostgresTestServer.isAvailable && FileManager.default.isExecutableFile(atPath: SpoolCluster.binary),
                "needs PostgreSQL and the built spool binary"),
       .timeLimit(.minutes(3)))
struct ClusterProcessTests {
    @Test("jobs submitted round the three replicas all complete, each submitted to fal exactly once")
    func spreadSubmits() async throws {
        try await withCluster { cluster in
            let key = try await cluster.key(team: "marketing")
            var ids: [String] = []
            for number in 0..<30 {
                let (status, id) = try await cluster.submit(number, to: number % 3, key: key)
                #expect(status == 202)
                if let id { ids.append(id) }
            }
            let statuses = try await cluster.waitUntilTerminal(ids, from: 1, key: key)
            #expect(ids.count == 30 && ids.allSatisfy { statuses[$0] == "completed" }, "\(statuses)")
            #expect(cluster.submitsByNumber() == Dictionary(uniqueKeysWithValues: (0..<30).map { ($0, 1) }))
        }
    }

    @Test("kill -9 of a replica under load loses no accepted job and leaves none stuck; only jobs being submitted at that moment may reach fal twice")
    func killUnderLoad() async throws {
        // The body is a function of its own: as a closure, it crashes the 6.3 compiler (SendNonSendable pass).
        try await withCluster(simulate: { $0.queueSeconds = 0.5; $0.runSeconds = 1 }, Self.killOneUnderLoad)
    }

    /// Submits to all three, kills the first with `kill -9`, submits more to the others, and checks every accepted job.
    private static func killOneUnderLoad(_ cluster: SpoolCluster) async throws {
        let key = try await cluster.key(team: "marketing")
        let admin = try await cluster.key(team: "ops", admin: true)
        var accepted: [Int: String] = [:]
        for number in 0..<30 {
            let (status, id) = try await cluster.submit(number, to: number % 3, key: key)
            if status == 202, let id { accepted[number] = id }
        }
        cluster.kill9(0)
        // What was being submitted when it died (by any replica: a superset of the dead one's).
        let submitting = try JSONValue(parsing: try await cluster.client.execute(HTTPClientRequest(
            url: cluster.url(1) + "/v1/jobs?status=submitting&limit=100", headers: [("Authorization", "Bearer \(admin)")])).body)
        let submittingIDs = Set((submitting["data"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue })
        for number in 30..<45 {
            let (status, id) = try await cluster.submit(number, to: 1 + number % 2, key: key)
            #expect(status == 202)
            if status == 202, let id { accepted[number] = id }
        }
        #expect(accepted.count == 45)
        let statuses = try await cluster.waitUntilTerminal(Array(accepted.values), from: 2, key: key, seconds: 90)
        if !accepted.values.allSatisfy({ statuses[$0] == "completed" }) {
            Issue.record("not every job completed:\n\(await cluster.diagnosis(of: Array(accepted.values), statuses: statuses, from: 2, key: key))")
        }
        let submits = cluster.submitsByNumber()
        for (number, id) in accepted {
            #expect(submits[number, default: 0] >= 1, "job \(number) reached fal")
            if submits[number, default: 0] > 1 {
                #expect(submittingIDs.contains(id), "job \(number) was submitted twice though it was not being submitted")
            }
        }
    }

    @Test("a rolling restart of all three under load fails no job, and a client that retries a refused connection on the next replica sees no error")
    func rollingRestart() async throws {
        try await withCluster(simulate: { $0.queueSeconds = 0.3; $0.runSeconds = 0.6 }) { cluster in
            let key = try await cluster.key(team: "marketing")
            let stopLoad = StopFlag()
            let load = Task { () -> (ids: [String], errors: [String]) in
                var ids: [String] = []
                var errors: [String] = []
                var number = 0
                while !stopLoad.isSet {
                    // A client that, on a refused connection, tries the next replica.
                    var outcome: (status: Int, id: String?)?
                    var failures: [String] = []
                    for attempt in 0..<3 where outcome == nil {
                        do { outcome = try await cluster.submit(number, to: (number + attempt) % 3, key: key) } catch {
                            failures.append("replica \((number + attempt) % 3 + 1): \(error)")
                        }
                    }
                    if let outcome, outcome.status == 202, let id = outcome.id { ids.append(id) } else {
                        errors.append("job \(number): \(outcome.map { "\($0.status)" } ?? "\(failures)")")
                    }
                    number += 1
                    try? await Task.sleep(for: .milliseconds(20))
                }
                return (ids, errors)
            }
            for index in 0..<3 {
                cluster.stop(index)
                try await cluster.start(index)
            }
            stopLoad.set()
            let (ids, errors) = await load.value
            #expect(errors.isEmpty, "\(errors)")
            #expect(!ids.isEmpty)
            let statuses = try await cluster.waitUntilTerminal(ids, from: 0, key: key, seconds: 90)
            #expect(ids.allSatisfy { statuses[$0] == "completed" }, "\(statuses.filter { $0.value != "completed" })")
        }
    }
}

/// Tells a load loop to finish the request in hand and stop (cancelling it would fail that request).
private final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    var isSet: Bool { flag.load(ordering: .acquiring) }
    func set() { flag.store(true, ordering: .releasing) }
}
