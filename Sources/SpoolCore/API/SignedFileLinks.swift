import SpoolJSON
import Crypto
import Synchronization

/// Links to a stored file that work without a key until they expire: `…/files/{name}?expires=<unix seconds>&
/// signature=<hex>`, the signature an HMAC-SHA256 over the job id, the file name and the expiry, keyed with a
/// secret every replica shares (`SPOOL_STORAGE_LINK_SECRET`, or one generated once and kept in the database).
/// A link whose parts were changed, or whose time has passed, is refused; signatures are compared in constant
/// time.
final class SignedFileLinks: Sendable {
    static let defaultLifetimeSeconds: Int64 = 3600
    static let longestLifetimeSeconds: Int64 = 7 * 86_400
    static let secretName = "file_links"

    private let configured: String?
    private let records: any JobFileRecords
    private let loaded = Mutex<SymmetricKey?>(nil)

    init(configuredSecret: String?, records: any JobFileRecords) {
        configured = configuredSecret
        self.records = records
    }

    /// The query string of a link to `name` of `jobID` that expires at `expires` (unix seconds).
    func query(jobID: String, name: String, expires: Int64) async throws -> String {
        let signature = Self.signature(key: try await key(), jobID: jobID, name: name, expires: expires)
        return "expires=\(expires)&signature=\(signature)"
    }

    /// Whether `signature` is this gateway's for the link and `expires` has not passed at `now`.
    func verify(jobID: String, name: String, expires: Int64, signature: String, now: Int64) async throws -> Verdict {
        let expected = Self.signature(key: try await key(), jobID: jobID, name: name, expires: expires)
        guard APIKeySecret.constantTimeEquals(expected, signature.lowercased()) else { return .invalid }
        return now <= expires ? .valid : .expired
    }

    enum Verdict {
        case valid
        case expired
        case invalid
    }

    private func key() async throws -> SymmetricKey {
        if let key = loaded.withLock({ $0 }) { return key }
        let secret: String
        if let configured {
            secret = configured
        } else {
            var generator = SystemRandomNumberGenerator()
            let candidate = Hex.string((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
            secret = try await records.sharedSecret(named: Self.secretName, candidate: candidate)
        }
        loaded.withLock { $0 = Self.key(secret: secret) }
        return Self.key(secret: secret)
    }

    static func key(secret: String) -> SymmetricKey { SymmetricKey(data: Array(secret.utf8)) }

    /// The signature of a link: hex HMAC-SHA256 over `job id \n name \n expires`.
    static func signature(key: SymmetricKey, jobID: String, name: String, expires: Int64) -> String {
        Hex.string(HMAC<SHA256>.authenticationCode(for: Array("\(jobID)\n\(name)\n\(expires)".utf8), using: key))
    }
}
