/// Base-16 text of bytes, the one helper for it in this package: digests and signatures are written as
/// lower-case hex, and hex keys and signatures are read back in either case.
package enum Hex {
    /// Lower-case hex of `bytes`, two digits a byte.
    ///
    /// The bytes are gathered into an array first (a digest is a plain `Sequence` whose count is not known up
    /// front), then written straight into the string's storage: every request with an API key hashes it.
    package static func string<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let raw = Array(bytes)
        return String(unsafeUninitializedCapacity: raw.count * 2) { text in
            for (index, byte) in raw.enumerated() {
                text[2 * index] = lowerDigits[Int(byte >> 4)]
                text[2 * index + 1] = lowerDigits[Int(byte & 0x0F)]
            }
            return raw.count * 2
        }
    }

    private static let lowerDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// The bytes that hex `text` (either case) spells; nil for an odd length or a character that is not a hex digit.
    package static func bytes(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = digitValue(digits[index]), let low = digitValue(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    /// The value (0–15) of one ASCII hex digit, either case; nil for any other byte.
    package static func digitValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return digit - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
