import Crypto
import Foundation
import SpoolJSON
import Testing
@testable import SpoolSim

@Suite("Output files: large generated files, expiry and broken downloads")
struct SimulatorOutputFileTests {
    /// Runs one request to completion and returns its output's `video` object.
    private func completedVideo(_ simulator: FalSimulator) async throws -> JSONValue {
        let submitted = try await SimFixture.submit(simulator)
        _ = try await SimFixture.waitFor("COMPLETED", submitted)
        let result = try await TestHTTP.json("GET", submitted["response_url"]!.stringValue!)
        return try #require(result.json["video"])
    }

    private func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    @Test("outputFileBytes: the file has that size, starts with the sample video and a free box, and hashes the same on every run")
    func largeFile() async throws {
        let size = 8 * 1024 * 1024 + 5
        var hashes: [String] = []
        for _ in 0..<2 {
            try await SimFixture.with({ $0.outputFileBytes = size }) { simulator in
                let video = try await completedVideo(simulator)
                #expect(video["file_size"]?.integerValue == Int64(size))
                let url = try #require(video["url"]?.stringValue)
                let file = try await TestHTTP.send("GET", url, timeout: 60)
                #expect(file.status == 200)
                #expect(file.body.count == size)
                let sample = SampleVideo.bytes
                #expect(Array(file.body.prefix(sample.count)) == sample)
                let box = Array(file.body[sample.count..<sample.count + 8])
                #expect(Array(box[4...]) == Array("free".utf8))
                #expect(box[0..<4].reduce(0) { $0 << 8 | Int($1) } == size - sample.count)
                let middle = try await TestHTTP.send("GET", url, headers: [("Range", "bytes=5000000-5000099")])
                #expect(middle.status == 206)
                #expect(middle.body == Array(file.body[5_000_000..<5_000_100]))
                hashes.append(sha256(file.body))
            }
        }
        #expect(hashes.count == 2 && hashes[0] == hashes[1])
    }

    @Test("fileExpirySeconds: the output file answers 404 once it has expired")
    func expiredFile() async throws {
        try await SimFixture.with({ $0.fileExpirySeconds = 0 }) { simulator in
            let video = try await completedVideo(simulator)
            let file = try await TestHTTP.send("GET", try #require(video["url"]?.stringValue))
            #expect(file.status == 404)
        }
    }

    @Test("fileCutAfterBytes: a download from byte 0 breaks midway; resuming with Range gets the rest")
    func cutDownload() async throws {
        try await SimFixture.with({ $0.fileCutAfterBytes = 1000 }) { simulator in
            let url = try #require(try await completedVideo(simulator)["url"]?.stringValue)
            await #expect(throws: (any Error).self) { _ = try await TestHTTP.send("GET", url) }
            let rest = try await TestHTTP.send("GET", url, headers: [("Range", "bytes=1000-")])
            #expect(rest.status == 206)
            #expect(rest.body == Array(SampleVideo.bytes[1000...]))
        }
    }

    @Test("outputFileBytes outside what a free box can pad is refused by validation")
    func badSize() {
        var configuration = SimulatorConfiguration()
        configuration.outputFileBytes = SampleVideo.bytes.count + 3
        #expect(throws: SimulatorConfigurationError.self) { try configuration.validate() }
    }
}
