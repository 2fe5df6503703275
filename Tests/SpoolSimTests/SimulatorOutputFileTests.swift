import Crypto
import Foundation
import SpoolJSON
import SpoolTestSupport
import Testing
@testable import SpoolSim

@Suite("Output files: large generated files, expiry and broken downloads")
struct SimulatorOutputFileTests {
    /// Runs one request to completion and returns its output's `video` object.
    private func completedVideo(_ simulator: FalSimulator, input: JSONValue = SimFixture.validInput) async throws -> JSONValue {
        let submitted = try await SimFixture.submit(simulator, input: input)
        _ = try await SimFixture.waitFor("COMPLETED", submitted)
        let result = try await FalHTTP.json("GET", submitted["response_url"]!.stringValue!)
        return try #require(result.json["video"])
    }

    private func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    @Test("outputFileBytes: the file has that size, starts with the sample video and a free box, and hashes the same on every run")
    func largeFile() async throws {
        let size = 2 * 1024 * 1024 + 5
        var hashes: [String] = []
        for _ in 0..<2 {
            try await SimFixture.with({ $0.outputFileBytes = size }) { simulator in
                let video = try await completedVideo(simulator)
                #expect(video["file_size"]?.integerValue == Int64(size))
                let url = try #require(video["url"]?.stringValue)
                let file = try await RawClient.request("GET", url, timeout: 60)
                #expect(file.status == 200)
                #expect(file.body.count == size)
                let sample = SampleVideo.bytes
                let startsWithVideo = Array(file.body.prefix(sample.count)) == sample
                #expect(startsWithVideo, "the 5-second video comes first")
                let box = Array(file.body[sample.count..<sample.count + 8])
                #expect(Array(box[4...]) == Array("free".utf8))
                #expect(box[0..<4].reduce(0) { $0 << 8 | Int($1) } == size - sample.count)
                let middle = try await RawClient.request("GET", url, headers: [("Range", "bytes=1500000-1500099")])
                #expect(middle.status == 206)
                let sameBytes = middle.body == Array(file.body[1_500_000..<1_500_100])
                #expect(sameBytes, "a range holds the same bytes as the whole download")
                hashes.append(sha256(file.body))
            }
        }
        #expect(hashes.count == 2 && hashes[0] == hashes[1])
    }

    @Test("fileExpirySeconds: the output file answers 404 once it has expired")
    func expiredFile() async throws {
        try await SimFixture.with({ $0.fileExpirySeconds = 0 }) { simulator in
            let video = try await completedVideo(simulator)
            let file = try await RawClient.request("GET", try #require(video["url"]?.stringValue))
            #expect(file.status == 404)
        }
    }

    @Test("fileCutAfterBytes: a download from byte 0 breaks midway; resuming with Range gets the rest")
    func cutDownload() async throws {
        try await SimFixture.with({ $0.fileCutAfterBytes = 1000 }) { simulator in
            let url = try #require(try await completedVideo(simulator)["url"]?.stringValue)
            await #expect(throws: (any Error).self) { _ = try await RawClient.request("GET", url) }
            let rest = try await RawClient.request("GET", url, headers: [("Range", "bytes=1000-")])
            #expect(rest.status == 206)
            let resumed = rest.body == Array(SampleVideo.bytes[1000...])
            #expect(resumed, "the resumed part is the rest of the file")
        }
    }

    @Test("videoFollowsDuration: the video lasts the duration asked for: its movie and media headers say so, in their own timescales")
    func videoDuration() async throws {
        try await SimFixture.with({ $0.videoFollowsDuration = true }) { simulator in
            let video = try await completedVideo(simulator, input: ["prompt": "x", "duration": "7"])
            let file = try await RawClient.request("GET", try #require(video["url"]?.stringValue))
            #expect(file.body.count == SampleVideo.bytes.count)
            #expect(video["file_size"]?.integerValue == Int64(file.body.count))
            for box in ["mvhd", "mdhd"] {
                let (timescale, duration) = try #require(Self.timing(of: box, in: file.body))
                #expect(duration == 7 * timescale, "\(box)")
            }
            #expect(Self.timing(of: "mvhd", in: SampleVideo.bytes).map { $0.duration == $0.timescale } == true)
        }
        try await SimFixture.with { simulator in
            let video = try await completedVideo(simulator, input: ["prompt": "x", "duration": "7"])
            let file = try await RawClient.request("GET", try #require(video["url"]?.stringValue))
            let timing = try #require(Self.timing(of: "mvhd", in: file.body))
            #expect(timing.duration == timing.timescale, "without the knob every video lasts 1 s")
        }
    }

    @Test("the video has the aspect ratio asked for: its track header says 90x160 for 9:16, 90x90 for 1:1")
    func videoAspectRatio() async throws {
        try await SimFixture.with { simulator in
            for (ratio, width, height) in [("9:16", 90, 160), ("1:1", 90, 90), ("16:9", 160, 90)] {
                let video = try await completedVideo(simulator, input: ["prompt": "x", "aspect_ratio": .string(ratio)])
                let file = try await RawClient.request("GET", try #require(video["url"]?.stringValue))
                #expect(video["file_size"]?.integerValue == Int64(file.body.count))
                let size = try #require(Self.trackSize(in: file.body))
                #expect(size.width == width && size.height == height, "\(ratio)")
            }
        }
    }

    /// The width and height (16.16 fixed point, whole part) that the `tkhd` box of `bytes` declares.
    private static func trackSize(in bytes: [UInt8]) -> (width: Int, height: Int)? {
        let type = Array("tkhd".utf8)
        guard let at = (0..<bytes.count - 4).first(where: { Array(bytes[$0..<$0 + 4]) == type }) else { return nil }
        func whole(_ offset: Int) -> Int { bytes[at + offset..<at + offset + 2].reduce(0) { $0 << 8 | Int($1) } }
        return (whole(80), whole(84))
    }

    /// The timescale and duration of the first version-0 `mvhd` or `mdhd` box in `bytes`.
    private static func timing(of box: String, in bytes: [UInt8]) -> (timescale: UInt32, duration: UInt32)? {
        let type = Array(box.utf8)
        guard let at = (0..<bytes.count - 4).first(where: { Array(bytes[$0..<$0 + 4]) == type }) else { return nil }
        func word(_ offset: Int) -> UInt32 { bytes[at + offset..<at + offset + 4].reduce(0) { $0 << 8 | UInt32($1) } }
        return (word(16), word(20))
    }

    @Test("outputFileBytes outside what a free box can pad is refused by validation")
    func badSize() {
        var configuration = SimulatorConfiguration()
        configuration.outputFileBytes = 1000
        #expect(throws: SimulatorConfigurationError.self) { try configuration.validate() }
    }
}
