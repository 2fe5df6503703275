import Foundation
import SpoolFal
import SpoolJSON
import SpoolTestSupport
import Testing
@testable import SpoolCore

/// `spool serve --sim` keeps the emulator's videos in the data folder, so the results of earlier jobs still load
/// after a restart (the workbench's compare view shows them).
@Suite("The --sim emulator keeps its outputs across restarts")
struct SimOutputsAcrossRestartTests {
    @Test("an earlier job's video URL answers the same bytes after `spool serve --sim` is stopped and started again",
          .enabled(if: SimServe.isBuilt, "needs the built binary (swift build)"),
          .timeLimit(.minutes(3)))
    func videoOutlivesRestart() async throws {
        let folder = try TemporaryDirectory()
        let (port, simPort) = (try FreePort.pick(), try FreePort.pick())
        let client = HTTPClient()
        defer { client.shutdown() }

        let first = try await SimServe(in: folder.path, port: port, simPort: simPort, client: client)
        let job = try await first.runJob(
            ["model": "kling-video-o3-pro-text-to-video", "input": ["prompt": "A paper boat", "aspect_ratio": "9:16"]],
            client: client)
        #expect(first.stop() == 0)
        let url = try #require(job["result"]?["video"]?["url"]?.stringValue, "\(job)")
        #expect(url.hasPrefix("http://127.0.0.1:\(simPort)/"))
        let kept = try FileManager.default.contentsOfDirectory(atPath: folder.path + "/data/emulator-files")
        #expect(kept.count == 1, "one video kept: \(kept)")

        let second = try await SimServe(in: folder.path, port: port, simPort: simPort, logName: "again.log", client: client)
        defer { second.stop() }
        let video = try await client.execute(HTTPClientRequest(url: url))
        #expect(video.status == 200)
        #expect(String(decoding: video.body.dropFirst(4).prefix(4), as: UTF8.self) == "ftyp", "an MP4")
        let tail = try await client.execute(HTTPClientRequest(url: url, headers: [("Range", "bytes=-16")]))
        #expect(tail.status == 206)
        #expect(tail.body == Array(video.body.suffix(16)), "byte ranges work on a kept video too")
        let unknown = try await client.execute(HTTPClientRequest(url: url.replacingOccurrences(of: "/files/", with: "/files/0")))
        #expect(unknown.status == 404)
    }
}
