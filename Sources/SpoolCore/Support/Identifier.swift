import Synchronization

/// Opaque, URL-safe identifiers that sort by creation time: a prefix (`job_`, `dlv_`, `key_`, `msg_`) and
/// 26 Crockford base-32 characters holding 48 bits of milliseconds and 80 random bits (the ULID layout).
///
/// Within one millisecond the random part counts up from the previous identifier, so identifiers made by one
/// process are strictly increasing.
package enum Identifier {
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
    private static let last = Mutex<(milliseconds: Int64, high: UInt16, low: UInt64)>((0, 0, 0))

    /// A new identifier with `prefix` (for example `"job_"`).
    package static func make(_ prefix: String, at time: Timestamp = .now()) -> String {
        let (milliseconds, high, low) = last.withLock { state in
            if time.milliseconds <= state.milliseconds {
                // Same (or earlier) millisecond: count up from the previous value.
                let (sum, overflow) = state.low.addingReportingOverflow(1)
                state.low = sum
                if overflow { state.high &+= 1 }
            } else {
                var generator = SystemRandomNumberGenerator()
                state = (time.milliseconds, UInt16.random(in: 0...UInt16.max, using: &generator),
                         UInt64.random(in: 0...UInt64.max, using: &generator))
            }
            return state
        }
        var characters = [UInt8](repeating: 0, count: 26)
        var time = UInt64(milliseconds) & 0xFFFF_FFFF_FFFF
        for index in stride(from: 9, through: 0, by: -1) {
            characters[index] = alphabet[Int(time & 31)]
            time >>= 5
        }
        // 80 random bits as 16 characters: the high 16 bits then the low 64.
        var bits = (UInt128(high) << 64) | UInt128(low)
        for index in stride(from: 25, through: 10, by: -1) {
            characters[index] = alphabet[Int(bits & 31)]
            bits >>= 5
        }
        return prefix + String(decoding: characters, as: UTF8.self)
    }

    /// Random URL-safe text with `bytes` bytes of entropy (base64url without padding), for secrets and tokens.
    ///
    /// The bytes are drawn eight at a time: each draw from the system's generator is a `getrandom` system call.
    package static func randomToken(bytes: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        var raw: [UInt8] = []
        raw.reserveCapacity(bytes + 7)
        while raw.count < bytes {
            withUnsafeBytes(of: generator.next() as UInt64) { raw.append(contentsOf: $0) }
        }
        return Base64URL.encode(Array(raw.prefix(bytes)))
    }
}

/// Base64url without padding (RFC 4648 §5).
package enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    package static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index < bytes.count {
            let chunk = (UInt32(bytes[index]) << 16)
                | (index + 1 < bytes.count ? UInt32(bytes[index + 1]) << 8 : 0)
                | (index + 2 < bytes.count ? UInt32(bytes[index + 2]) : 0)
            let count = min(3, bytes.count - index) + 1
            for position in 0..<count {
                output.append(alphabet[Int((chunk >> (18 - 6 * UInt32(position))) & 63)])
            }
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }
}
