/// A sample video stretched to last a whole number of seconds, by scaling the durations in its header boxes:
/// the movie's (`mvhd`), the track's (`tkhd`), the edit list's (`elst`), the media's (`mdhd`) and each frame's
/// (`stts`). Each sample lasts exactly one second, so every duration is multiplied by the seconds asked for;
/// the same ten frames are then shown longer. Nothing else moves, so the file keeps its size and its frames.
/// Chromium plays the result and reports the new duration.
enum SampleVideoTiming {
    /// Boxes whose children are boxes, on the way to the ones patched.
    private static let containers: Set<String> = ["moov", "trak", "edts", "mdia", "minf", "stbl"]

    /// The longest video made, so that no scaled duration overflows its 32 bits.
    static let maximumSeconds = 3600

    /// `video` (one of the one-second samples) lasting `seconds`, taken within 1…`maximumSeconds`.
    static func bytes(of video: [UInt8], seconds: Int) -> [UInt8] {
        var bytes = video
        let seconds = min(max(seconds, 1), maximumSeconds)
        guard seconds > 1 else { return bytes }
        scale(&bytes, from: 0, to: bytes.count, by: UInt32(seconds))
        return bytes
    }

    private static func scale(_ bytes: inout [UInt8], from start: Int, to end: Int, by factor: UInt32) {
        var box = start
        while box + 8 <= end {
            let size = Int(readUInt32(bytes, at: box))
            guard size >= 8, box + size <= end else { return }
            let type = String(decoding: bytes[box + 4..<box + 8], as: UTF8.self)
            // Every patched box is version 0 (32-bit times) in the sample; its fields sit after the 8-byte header
            // and the 4 bytes of version and flags.
            let fields = box + 12
            switch type {
            case _ where containers.contains(type): scale(&bytes, from: box + 8, to: box + size, by: factor)
            case "mvhd", "mdhd": multiply(&bytes, at: fields + 12, by: factor)
            case "tkhd": multiply(&bytes, at: fields + 16, by: factor)
            case "elst":
                for entry in 0..<Int(readUInt32(bytes, at: fields)) { multiply(&bytes, at: fields + 4 + 12 * entry, by: factor) }
            case "stts":
                for entry in 0..<Int(readUInt32(bytes, at: fields)) { multiply(&bytes, at: fields + 8 + 8 * entry, by: factor) }
            default: break
            }
            box += size
        }
    }

    private static func multiply(_ bytes: inout [UInt8], at offset: Int, by factor: UInt32) {
        let value = readUInt32(bytes, at: offset) * factor
        for index in 0..<4 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (24 - 8 * index)) }
    }

    private static func readUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }
}
