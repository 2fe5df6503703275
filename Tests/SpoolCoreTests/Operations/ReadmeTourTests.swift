import Foundation
import SpoolFal
import SpoolTestSupport
import Testing
@testable import SpoolCore

/// The README's first tour, pasted as a user would: its shell blocks, run with `bash -e` in an empty folder
/// against a real `spool serve --sim`, so that the README cannot drift from what works.
@Suite("The README's tour runs as written")
struct ReadmeTourTests {
    /// The `sh` blocks of the README's "A first job" section, in order, as one script.
    static func tourScript() throws -> String {
        let readme = try String(contentsOfFile: RepositoryPaths.root + "/README.md", encoding: .utf8)
        guard let start = readme.range(of: "\n## A first job\n") else { throw TestFailure("the README has no tour section") }
        let section = readme[start.upperBound...].components(separatedBy: "\n## ").first ?? ""
        var blocks: [String] = []
        var current: [String]?
        for line in section.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line == "```sh" {
                current = []
            } else if let lines = current, line == "```" {
                blocks.append(lines.joined(separator: "\n"))
                current = nil
            } else {
                current?.append(String(line))
            }
        }
        return blocks.joined(separator: "\n")
    }

    @Test("the tour's shell blocks, pasted into bash -e in an empty folder, run a job, fetch its video, wait, stream and cancel",
          .enabled(if: SimServe.isBuilt, "needs the built binary (swift build)"),
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/jq"), "needs jq (scripts/install-deps.sh)"),
          .timeLimit(.minutes(3)))
    func tourRuns() async throws {
        let script = try Self.tourScript()
        #expect(script.contains("http://127.0.0.1:8080"), "the tour talks to make run's address")
        let (serverFolder, userFolder) = (try TemporaryDirectory(), try TemporaryDirectory())
        let (port, simPort) = (try FreePort.pick(), try FreePort.pick())
        let client = HTTPClient()
        defer { client.shutdown() }
        let server = try await SimServe(in: serverFolder.path, port: port, simPort: simPort, client: client)
        defer { server.stop() }

        let run = try await ChildProcess.run(
            "/bin/bash", ["-e", "-c", script.replacingOccurrences(of: "http://127.0.0.1:8080", with: server.baseURL)],
            environment: ["PATH": "/usr/bin:/bin", "HOME": userFolder.path], directory: userFolder.path,
            timeoutSeconds: 150)
        #expect(run.status == 0, "\(run.output)")
        let lines = run.output.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("job_") == true, "echo \"$JOB\" printed the id: \(run.output)")
        #expect(run.output.contains("event: status"), "the event stream ran: \(run.output)")
        #expect(lines.contains("completed"), "Prefer: wait answered the finished job: \(run.output)")
        #expect(lines.last == "cancelled", "the last job was cancelled: \(run.output)")
        let video = try #require(FileManager.default.contents(atPath: userFolder.path + "/boat.mp4"))
        #expect(String(decoding: video.dropFirst(4).prefix(4), as: UTF8.self) == "ftyp", "boat.mp4 is the result's MP4")
        #expect(FileManager.default.fileExists(atPath: userFolder.path + "/job.json"))
    }
}
