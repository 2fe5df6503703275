/// The file a successful run outputs: its video (the sample of its aspect ratio, maybe timed to its duration), or, when
/// a larger size is configured, that video followed by one top-level ISO BMFF `free` box that pads it to that
/// size. Players skip `free` boxes, so the file stays playable; its padding is a fixed pseudo-random pattern, so
/// its SHA-256 is the same on every run. Any byte range is computed on demand: the file is never whole in memory.
struct OutputFile: Sendable {
    /// The file's size in bytes.
    let size: Int
    /// The video it starts with.
    let video: [UInt8]

    /// The padding repeats this many bytes.
    static let patternLength = 64 * 1024
    /// The smallest padded size, well above any sample video plus a `free` box header.
    static let smallestPaddedSize = 64 * 1024
    /// The largest padded size: what a 32-bit `free` box can pad to.
    static let largestSize = Int(UInt32.max)

    /// The padding's repeating block, from a fixed seed.
    private static let pattern: [UInt8] = {
        var random = SplitMix64(seed: 0x5EED_F11E)
        return (0..<patternLength / 8).flatMap { _ in withUnsafeBytes(of: random.next().littleEndian, Array.init) }
    }()

    /// The output of `request`: the sample video in its aspect ratio, lasting its seconds when `followsDuration`
    /// (else 1 s), padded to `size` when one is given.
    init(for request: EmulatedRequest, size: Int?, followsDuration: Bool) {
        video = SampleVideoTiming.bytes(
            of: SampleVideo.bytes(aspectRatio: request.aspectRatio), seconds: followsDuration ? request.videoSeconds : 1)
        self.size = size ?? video.count
    }

    /// The output whose video is `video` (kept from an earlier run), padded to `size` when one is given.
    init(video: [UInt8], size: Int?) {
        self.video = video
        self.size = size ?? video.count
    }

    /// Whether the file is the video alone (small enough to answer in one piece).
    var isVideoOnly: Bool { size == video.count }

    /// The bytes at `range`, which must lie within the file.
    func bytes(in range: Range<Int>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        var offset = range.lowerBound
        while offset < range.upperBound {
            let (source, start) = piece(at: offset)
            let count = min(range.upperBound - offset, source.count - start)
            out.append(contentsOf: source[start..<start + count])
            offset += count
        }
        return out
    }

    /// The part of the file that holds byte `offset` (sample, box header or padding block) and the index of that
    /// byte within it.
    private func piece(at offset: Int) -> (bytes: [UInt8], index: Int) {
        if offset < video.count { return (video, offset) }
        let padding = video.count + 8
        if offset < padding { return (freeBoxHeader, offset - video.count) }
        return (OutputFile.pattern, (offset - padding) % OutputFile.patternLength)
    }

    /// The `free` box's header: its size (big-endian, 32 bits) and type.
    private var freeBoxHeader: [UInt8] {
        let boxSize = UInt32(clamping: size - video.count)
        return withUnsafeBytes(of: boxSize.bigEndian, Array.init) + Array("free".utf8)
    }
}
