import Crypto

/// The header names of a signed fal webhook.
public enum FalWebhookHeader {
    public static let requestID = "X-Fal-Webhook-Request-Id"
    public static let userID = "X-Fal-Webhook-User-Id"
    /// Unix seconds at signing time.
    public static let timestamp = "X-Fal-Webhook-Timestamp"
    /// Hex Ed25519 signature of `FalWebhookSignature.message`.
    public static let signature = "X-Fal-Webhook-Signature"
}

/// What fal signs: UTF-8 of `request_id \n user_id \n timestamp \n hex(sha256(body))`.
enum FalWebhookSignature {
    /// How far the timestamp may be from now, either way.
    static let toleranceSeconds: Int64 = 300

    static func message(requestID: String, userID: String, timestamp: String, body: [UInt8]) -> [UInt8] {
        let digest = hex(Array(SHA256.hash(data: body)))
        return Array("\(requestID)\n\(userID)\n\(timestamp)\n\(digest)".utf8)
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The bytes of a hex string (either case); nil for odd length or a non-hex character.
    static func bytes(fromHex text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return digit - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
