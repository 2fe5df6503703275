import Foundation
import SpoolJSON
import SpoolTestSupport
import Testing
@testable import SpoolSim

@Suite("outputFolder: videos kept across emulator restarts")
struct SimulatorOutputArchiveTests {
    /// A fresh folder under the temporary directory, for one test.
    private func temporaryFolder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("spool-sim-archive-\(UUID().uuidString)").path
    }

    @Test("a second emulator on the same folder serves the first one's video, ranges included; other names are 404")
    func keptAcrossRestart() async throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (path, original) = try await SimFixture.with({ $0.outputFolder = folder }) { simulator in
            let submitted = try await SimFixture.submit(simulator)
            _ = try await SimFixture.waitFor("COMPLETED", submitted)
            let result = try await FalHTTP.json("GET", submitted["response_url"]!.stringValue!)
            let url = try #require(result.json["video"]?["url"]?.stringValue)
            let path = String(url.dropFirst(simulator.baseURL.count))
            return (path, try await RawClient.request("GET", url).body)
        }
        #expect(!original.isEmpty)
        try await SimFixture.with({ $0.outputFolder = folder }) { simulator in
            let again = try await RawClient.request("GET", simulator.baseURL + path)
            #expect(again.status == 200)
            #expect(again.body == original)
            let range = try await RawClient.request("GET", simulator.baseURL + path, headers: [("Range", "bytes=4-7")])
            #expect(range.status == 206 && range.body == Array("ftyp".utf8))
            for name in ["..", "not-hex", "abc%2F..%2Fx"] {
                let answer = try await RawClient.request("GET", simulator.baseURL + "/files/\(name)/output.mp4")
                #expect(answer.status == 404, "\(name)")
            }
        }
        let expired = try await SimFixture.with({ $0.outputFolder = folder; $0.fileExpirySeconds = 0 }) { simulator in
            try await RawClient.request("GET", simulator.baseURL + path)
        }
        #expect(expired.status == 404, "expiry counts from when the video was kept")
        let unkept = try await SimFixture.with { simulator in try await RawClient.request("GET", simulator.baseURL + path) }
        #expect(unkept.status == 404, "without the folder, nothing is kept")
    }
}
