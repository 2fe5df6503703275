#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address, parsed from text.
///
/// IPv4 is read the way the C resolver (`inet_aton`) and libcurl read a host: one to four parts separated by dots,
/// each decimal, octal with a leading `0`, or hexadecimal with `0x`; the last part fills the bytes that remain.
/// So `127.1`, `2130706433`, `0x7f000001` and `017700000001` are all 127.0.0.1, as they are to the program that
/// would connect. Anything else, host names included, is not an address.
package struct IPAddress: Sendable, Equatable, CustomStringConvertible {
    /// Four bytes for IPv4, sixteen for IPv6, in network order.
    package let bytes: [UInt8]

    package init?(_ text: String) {
        if let v4 = Self.ipv4Bytes(text) {
            bytes = v4
            return
        }
        var v6 = in6_addr()
        guard text.contains(":"), inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        bytes = withUnsafeBytes(of: &v6) { Array($0) }
    }

    /// The canonical spelling: dotted decimal, or IPv6's shortest form.
    package var description: String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        var copy = bytes
        _ = copy.withUnsafeMutableBytes { inet_ntop(AF_INET6, $0.baseAddress, &text, socklen_t(text.count)) }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Loopback, private, shared (CGNAT), link-local, unspecified, multicast, reserved or documentation ranges,
    /// and IPv6 forms that embed an IPv4 address (mapped, compatible, NAT64, 6to4) in one of those.
    package var isPrivate: Bool {
        if bytes.count == 4 { return Self.isPrivateV4(bytes) }
        let firstTwelveZero = bytes[0..<12].allSatisfy { $0 == 0 }
        let v4Mapped = bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
        let nat64 = bytes[0..<12] == [0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0][...]
        if firstTwelveZero || v4Mapped || nat64 { return Self.isPrivateV4(Array(bytes[12..<16])) } // ::, ::1 too
        if bytes[0] == 0x20 && bytes[1] == 0x02 { return Self.isPrivateV4(Array(bytes[2..<6])) } // 6to4
        if bytes[0..<6] == [0x00, 0x64, 0xFF, 0x9B, 0x00, 0x01][...] { return true }  // 64:ff9b:1::/48 local NAT64
        if bytes[0..<8] == [0x01, 0, 0, 0, 0, 0, 0, 0][...] { return true }           // 100::/64 discard
        if bytes[0] & 0xFE == 0xFC { return true }                                     // fc00::/7 unique local
        if bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80 { return true }                 // fe80::/10 link-local
        if bytes[0] == 0xFE && bytes[1] & 0xC0 == 0xC0 { return true }                 // fec0::/10 site-local
        if bytes[0] == 0xFF { return true }                                            // multicast
        if bytes[0..<4] == [0x20, 0x01, 0x00, 0x00][...] { return true }               // Teredo hides an IPv4 address
        if bytes[0..<4] == [0x20, 0x01, 0x0D, 0xB8][...] { return true }               // documentation
        return false
    }

    private static func isPrivateV4(_ b: [UInt8]) -> Bool {
        switch (b[0], b[1]) {
        case (0, _), (10, _), (127, _): return true
        case (100, 64...127): return true          // shared address space (CGNAT)
        case (169, 254): return true               // link-local, cloud metadata
        case (172, 16...31): return true
        case (192, 168): return true
        case (192, 0) where b[2] == 0 || b[2] == 2: return true
        case (198, 18...19): return true           // benchmarking
        case (198, 51) where b[2] == 100: return true
        case (203, 0) where b[2] == 113: return true
        case (224...255, _): return true           // multicast, reserved, broadcast
        default: return false
        }
    }

    /// The four bytes of an IPv4 address in inet_aton's syntax, or nil.
    private static func ipv4Bytes(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...4).contains(parts.count) else { return nil }
        var numbers: [UInt32] = []
        for part in parts {
            guard let number = ipv4Part(part) else { return nil }
            numbers.append(number)
        }
        var address: UInt32 = 0
        for (index, number) in numbers.dropLast().enumerated() {
            guard number <= 0xFF else { return nil }
            address |= number << (24 - 8 * index)
        }
        let lastBits = 8 * (5 - parts.count)
        guard lastBits == 32 || numbers[numbers.count - 1] < 1 << lastBits else { return nil }
        address |= numbers[numbers.count - 1]
        return [UInt8(address >> 24), UInt8(address >> 16 & 0xFF), UInt8(address >> 8 & 0xFF), UInt8(address & 0xFF)]
    }

    /// One part of an IPv4 address: `0x` hexadecimal, `0`-led octal or decimal, at most 32 bits.
    private static func ipv4Part(_ part: Substring) -> UInt32? {
        var digits = part.utf8
        var radix: UInt64 = 10
        if digits.starts(with: "0x".utf8) || digits.starts(with: "0X".utf8) {
            radix = 16
            digits = digits.dropFirst(2)
        } else if digits.count > 1, digits.first == UInt8(ascii: "0") {
            radix = 8
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty else { return nil }
        var value: UInt64 = 0
        for byte in digits {
            guard let digit = hexDigitValue(byte), UInt64(digit) < radix else { return nil }
            value = value * radix + UInt64(digit)
            guard value <= UInt64(UInt32.max) else { return nil }
        }
        return UInt32(value)
    }

    private static func hexDigitValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
