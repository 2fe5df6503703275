import Crypto

/// Standard Webhooks signatures: `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`, keyed with the
/// base64-decoded part of a `whsec_…` secret. During a rotation one header carries several, space-separated.
package enum WebhookSignature {
    /// The `webhook-signature` header value for `body`, one signature per secret, in the order given.
    package static func header(id: String, timestamp: Int64, body: [UInt8], secrets: [String]) -> String {
        secrets.compactMap { secret in
            guard let key = keyBytes(of: secret) else { return nil }
            var message = Array("\(id).\(timestamp).".utf8)
            message.append(contentsOf: body)
            let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key))
            return "v1," + Base64.encode(Array(mac))
        }.joined(separator: " ")
    }

    /// A new secret: `whsec_` and the base64 of 24 random bytes.
    package static func newSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return "whsec_" + Base64.encode((0..<24).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// The key bytes of `whsec_<base64>`, or nil for a malformed secret.
    static func keyBytes(of secret: String) -> [UInt8]? {
        guard secret.hasPrefix("whsec_") else { return nil }
        return Base64.decode(String(secret.dropFirst(6)))
    }
}

/// Standard base64 with padding (RFC 4648 §4).
package enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    package static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let remaining = bytes.count - index
            let chunk = (UInt32(bytes[index]) << 16)
                | (remaining > 1 ? UInt32(bytes[index + 1]) << 8 : 0)
                | (remaining > 2 ? UInt32(bytes[index + 2]) : 0)
            for position in 0..<4 {
                if position <= min(remaining, 3) {
                    output.append(alphabet[Int((chunk >> (18 - 6 * UInt32(position))) & 63)])
                } else {
                    output.append(UInt8(ascii: "="))
                }
            }
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes padded or unpadded base64; nil on any character outside the alphabet.
    package static func decode(_ text: String) -> [UInt8]? {
        var values: [UInt8] = []
        for byte in text.utf8 where byte != UInt8(ascii: "=") {
            guard let value = alphabet.firstIndex(of: byte) else { return nil }
            values.append(UInt8(value))
        }
        guard values.count % 4 != 1 else { return nil }
        var output: [UInt8] = []
        var index = 0
        while index < values.count {
            let group = values[index..<min(index + 4, values.count)]
            var chunk: UInt32 = 0
            for (position, value) in group.enumerated() { chunk |= UInt32(value) << (18 - 6 * UInt32(position)) }
            let count = group.count - 1
            for position in 0..<count { output.append(UInt8((chunk >> (16 - 8 * UInt32(position))) & 0xFF)) }
            index += 4
        }
        return output
    }
}
