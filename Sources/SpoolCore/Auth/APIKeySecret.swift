
/// The shape of an API key and how it is checked.
///
/// A key reads `spool_<26 characters of its id>_<43 characters of secret>`. The id part finds the stored row;
/// only the SHA-256 of the whole key is stored, and the hashes are compared in constant time, so neither a
/// database leak nor response timing gives a key away. Keys carry 256 random bits, so a fast hash is enough.
package enum APIKeySecret {
    /// A fresh key: its id (`key_…`), the key to hand to the user once, and the hash to store.
    package static func generate() -> (id: String, key: String, sha256: String) {
        let id = Identifier.make("key_")
        let key = "spool_" + id.dropFirst(4) + "_" + Identifier.randomToken(bytes: 32)
        return (id, key, hash(key))
    }

    /// The key id inside a presented key, or nil when it is not shaped like a Spool key.
    /// Read byte by byte (every request with a key asks): `spool_`, 26 bytes without `_`, `_`, at least one more.
    package static func keyID(of presented: String) -> String? {
        let utf8 = presented.utf8
        guard utf8.starts(with: "spool_".utf8) else { return nil }
        let idStart = utf8.index(utf8.startIndex, offsetBy: 6)
        guard let idEnd = utf8[idStart...].firstIndex(of: UInt8(ascii: "_")),
            utf8.distance(from: idStart, to: idEnd) == 26, utf8.index(after: idEnd) != utf8.endIndex
        else { return nil }
        return "key_" + String(decoding: utf8[idStart..<idEnd], as: UTF8.self)
    }

    /// Hex SHA-256 of the key's UTF-8 bytes.
    package static func hash(_ key: String) -> String { SHA256Hex.of(Array(key.utf8)) }

    /// Compares two strings in time that depends only on their lengths (walking their UTF-8 in place: every
    /// request with a key compares twice).
    package static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        var lhs = lhs, rhs = rhs
        return lhs.withUTF8 { left in
            rhs.withUTF8 { right in
                guard left.count == right.count else { return false }
                var difference: UInt8 = 0
                for index in 0..<left.count { difference |= left[index] ^ right[index] }
                return difference == 0
            }
        }
    }
}
