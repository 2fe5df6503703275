/// The file a successful run outputs: its video (the sample, timed to the run's duration), or, when a larger size
/// is configured, that video followed by one top-level ISO BMFF `free` box that pads it to that size. Players skip `free` boxes, so
/// the file stays playable; its padding is a fixed pseudo-random pattern, so its SHA-256 is the same on every
/// run. Any byte range is computed on demand: the file is never held whole in memory.
struct OutputFile: Sendable {
    /// The file's size in bytes.
    let size: Int
    /// The video it starts with, as long as the sample video.
    let video: [UInt8]

    /// The padding repeats this many bytes.
    static let patternLength = 64 * 1024
    /// The smallest padded size: the sample video plus a `free` box header.
    static let smallestPaddedSize = SampleVideo.bytes.count + 8
    /// The largest size a 32-bit `free` box can pad to.
    static let largestSize = SampleVideo.bytes.count + Int(UInt32.max)

    /// The padding's repeating block, from a fixed seed.
    private static let pattern: [UInt8] = {
        var random = SplitMix64(seed: 0x5EED_F11E)
        return (0..<patternLength / 8).flatMap { _ in withUnsafeBytes(of: random.next().littleEndian, Array.init) }
    }()

    /// `size` nil: the video alone.
    init(size: Int?, video: [UInt8] = SampleVideo.bytes) {
        self.size = size ?? SampleVideo.bytes.count
        self.video = video
    }

    /// Whether the file is the video alone (small enough to answer in one piece).
    var isVideoOnly: Bool { size == SampleVideo.bytes.count }

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
        let sampleCount = SampleVideo.bytes.count
        if offset < sampleCount { return (video, offset) }
        if offset < OutputFile.smallestPaddedSize { return (freeBoxHeader, offset - sampleCount) }
        return (OutputFile.pattern, (offset - OutputFile.smallestPaddedSize) % OutputFile.patternLength)
    }

    /// The `free` box's header: its size (big-endian, 32 bits) and type.
    private var freeBoxHeader: [UInt8] {
        let boxSize = UInt32(clamping: size - SampleVideo.bytes.count)
        return withUnsafeBytes(of: boxSize.bigEndian, Array.init) + Array("free".utf8)
    }
}
