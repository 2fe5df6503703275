import Crypto
import SpoolJSON

/// Lower-case hex of a SHA-256 digest: how key hashes and request digests are stored.
enum SHA256Hex {
    static func of(_ bytes: [UInt8]) -> String {
        Hex.string(SHA256.hash(data: bytes))
    }
}
