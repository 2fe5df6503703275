import Foundation
import SpoolJSON
import SpoolPostgresTesting
import SpoolSim
import SpoolTestSupport
import Testing
@testable import SpoolCore

/// One replica copies a job's output files: the one that saved its result, which holds the job's lease while it
/// copies; another resumes the copy only after taking the lease over.
@Suite("Output copies between replicas",
       .enabled(if: PostgresTestServer.isAvailable, "\(PostgresTestServer.unavailableReason ?? "")"),
       .timeLimit(.minutes(2)))
struct CopyOwnershipTests {
    private static let size = 6 * 1024 * 1024
    private static let cut = 2 * 1024 * 1024

    /// The emulator's video of each run is `size` bytes, and its first answer is cut after `cut` bytes, after
    /// which the copy backs off: a copy can be caught in the middle.
    private static func cutDownloads(_ simulator: inout SimulatorConfiguration) {
        simulator.queueSeconds = 0
        simulator.runSeconds = 0.3
        simulator.outputFileBytes = size
        simulator.fileCutAfterBytes = cut
    }

    /// Whether `gateway` is copying job `id`'s video and has `cut` bytes of it staged (replicas of one test share
    /// a folder, and so the staging file).
    private static func isCopying(_ gateway: TestGateway, _ id: String) -> Bool {
        gateway.gateway.capture.isCopying(id) && gateway.stagedBytes(of: id) >= cut
    }

    @Test("a replica that starts while another copies a job's output leaves the copy to it")
    func startDuringCopy() async throws {
        try await withGateway(backend: .postgres, simulate: { Self.cutDownloads(&$0) }) { first in
            let key = try await first.key(team: "marketing")
            let id = try #require(try await first.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            try await eventually("the first replica is copying the output", within: .seconds(30)) { Self.isCopying(first, id) }
            try await withGateway(joining: first) { second in
                let done = try await first.waitUntilTerminal(id, key: key, seconds: 45)
                #expect(done["status"]?.stringValue == "completed", "\(done)")
                #expect(done.firstFile?["stored"] == true, "\(done)")
                let samples = try await OperationsTests.scrape(second)
                #expect(OperationsTests.value(samples, "spool_file_captures_total") == 0, "the second replica copied too")
            }
        }
    }

    @Test("the replica that fal's callback reached saves the result and takes the lease; stopped mid-copy, its copy is taken over at once")
    func callbackReplicaCopies() async throws {
        let port = try FreePort.pick()
        // Both replicas give fal the second one's address; the first, which submits, polls only every 60 s.
        let callbacks: (inout SpoolConfiguration) -> Void = {
            ClusterCallbackTests.callingBack(to: port)(&$0)
            $0.dispatch.leaseSeconds = 3
        }
        try await withGateway(backend: .postgres, configure: callbacks, simulate: {
            Self.cutDownloads(&$0)
            $0.webhookKeySeed = FalCallbackTests.emulatorKeySeed
            // A run long enough that the first replica's poll right after its submit finds it running: the result
            // comes by the callback to the second.
            $0.runSeconds = 3
        }) { first in
            let key = try await first.key(team: "marketing")
            let second = try await TestGateway.start(joining: first, configure: {
                callbacks(&$0)
                $0.listen = "127.0.0.1:\(port)"
            })
            let id = try await second.stopping { second in
                let id = try #require(try await first.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
                try await eventually("the second replica is copying the output", within: .seconds(30)) { Self.isCopying(second, id) }
                #expect(!first.gateway.capture.isCopying(id))
                return id
            }
            // The second replica stopped cleanly and gave its lease back: the first takes the copy up within a
            // renewal round (a second), long before its next poll of fal (60 s).
            let done = try await first.waitUntilTerminal(id, key: key, seconds: 20)
            #expect(done["status"]?.stringValue == "completed", "\(done)")
            #expect(done.firstFile?["stored"] == true, "\(done)")
            #expect(ReplicaTests.submits(first.simulator) == 1)
        }
    }
}
