
/// The shape of an API key and how it is checked.
///
/// A key reads `spool_<26 characters of its id>_<43 characters of secret>`. The id part finds the stored row;
/// only the SHA-256 of the whole key is stored, and the hashes are compared in constant time, so neither a
/// database leak nor response timing gives a key away. Keys carry 256 random bits, so a fast hash is enough.
public enum APIKeySecret {
    /// A fresh key: its id (`key_…`), the key to hand to the user once, and the hash to store.
    public static func generate() -> (id: String, key: String, sha256: String) {
        let id = Identifier.make("key_")
        let key = "spool_" + id.dropFirst(4) + "_" + Identifier.randomToken(bytes: 32)
        return (id, key, hash(key))
    }

    /// The key id inside a presented key, or nil when it is not shaped like a Spool key.
    public static func keyID(of presented: String) -> String? {
        let parts = presented.split(separator: "_", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "spool", parts[1].utf8.count == 26, !parts[2].isEmpty else { return nil }
        return "key_" + parts[1]
    }

    /// Hex SHA-256 of the key's UTF-8 bytes.
    public static func hash(_ key: String) -> String { SHA256Hex.of(Array(key.utf8)) }

    /// Compares two strings in time that depends only on their lengths.
    public static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8), right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}
