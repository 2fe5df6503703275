import Logging
import SpoolHTTP
import Synchronization

/// Turns `Authorization: Bearer <key>` into a `Principal`; a key it has seen costs no database hop.
///
/// Live keys (id, team, admin flag, SHA-256) are held in memory. A key whose id is not there is looked up once in
/// the database by its id (the caller is a task, never an event loop), so a key made by `spool keys create` or any
/// other process on the same database works on its very first request. An id that is not found is remembered as
/// unknown for a few seconds (`UnknownKeyCache`), so made-up keys cannot turn requests into database reads. The
/// whole cache is reloaded every `refreshInterval` seconds, which is how a revocation by another process reaches a
/// running server within a second. Hashes are compared in constant time. The admin key from the configuration
/// (`SPOOL_ADMIN_KEY`) is held only as its hash.
package final class Authenticator: Sendable {
    private struct Cache {
        var keys: [String: LiveKey] = [:]
        /// Counts reloads, so that a lookup which raced a reload does not put back what the reload removed.
        var generation = 0
        /// Reloads started, and the latest-started one whose keys are held: a reload applies only if none started
        /// after it has applied already, so the periodic reload that read the keys before a revocation cannot put
        /// the revoked key back after the reload that followed the revocation.
        var reloadsStarted = 0
        var appliedReload = 0
    }

    private let keyStore: any KeyStore
    private let cache = Mutex(Cache())
    /// Key ids recently looked up and not found.
    let unknown = UnknownKeyCache()
    private let configuredAdminHash: String?
    package let refreshInterval: Double

    /// The team name an admin key from the configuration acts as.
    package static let configuredAdminTeam = "admin"

    package init(keys: any KeyStore, adminKey: String?, refreshInterval: Double = 0.5) {
        self.keyStore = keys
        configuredAdminHash = adminKey.map(APIKeySecret.hash)
        self.refreshInterval = refreshInterval
    }

    /// Replaces the cache with the database's live keys.
    package func reload() async throws {
        let ticket = cache.withLock { cache in
            cache.reloadsStarted += 1
            return cache.reloadsStarted
        }
        let live = try await keyStore.liveKeys()
        cache.withLock { cache in
            guard ticket > cache.appliedReload else { return }
            cache.appliedReload = ticket
            cache.keys = live
            cache.generation += 1
        }
    }

    /// Reloads the cache every `refreshInterval` seconds until the task is cancelled.
    package func keepFresh(logger: Logger) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(refreshInterval))
            do { try await reload() } catch where !Task.isCancelled {
                logger.warning("could not reload API keys", metadata: ["error": "\(error)"])
            } catch {
                return
            }
        }
    }

    /// The caller of `request`, or a 401 `unauthorized` error.
    package func authenticate(_ request: HTTPRequest) async throws -> Principal {
        if let principal = try principalFromMemory(request) { return principal }
        let presented = try Self.presentedKey(request)
        if let keyID = APIKeySecret.keyID(of: presented), let key = try await liveKey(keyID),
            APIKeySecret.constantTimeEquals(APIKeySecret.hash(presented), key.sha256)
        {
            return Principal(keyID: keyID, team: key.team, isAdmin: key.isAdmin)
        }
        throw Self.unauthorized("The API key is unknown or revoked.")
    }

    /// The caller of `request` when memory alone can tell (the configured admin key, or a key held in the
    /// cache), a 401 when the header is malformed or the key is held and does not match, and nil when only the
    /// database can tell. Never waits on anything but the cache's lock, so an event loop may call it.
    package func principalFromMemory(_ request: HTTPRequest) throws -> Principal? {
        let presented = try Self.presentedKey(request)
        let presentedHash = APIKeySecret.hash(presented)
        if let adminHash = configuredAdminHash, APIKeySecret.constantTimeEquals(presentedHash, adminHash) {
            return Principal(keyID: "configured-admin", team: Self.configuredAdminTeam, isAdmin: true)
        }
        guard let keyID = APIKeySecret.keyID(of: presented) else {
            throw Self.unauthorized("The API key is unknown or revoked.")
        }
        guard let key = cache.withLock({ $0.keys[keyID] }) else { return nil }
        guard APIKeySecret.constantTimeEquals(presentedHash, key.sha256) else {
            throw Self.unauthorized("The API key is unknown or revoked.")
        }
        return Principal(keyID: keyID, team: key.team, isAdmin: key.isAdmin)
    }

    /// The key in `Authorization: Bearer <key>`, or a 401 saying how to send it.
    private static func presentedKey(_ request: HTTPRequest) throws(AuthRefusal) -> String {
        guard let header = request.headers["Authorization"], let key = bearerToken(header) else {
            throw Self.unauthorized("Send your API key as `Authorization: Bearer <key>`.")
        }
        return key
    }

    /// What follows `Bearer ` (the scheme in any case, after any spaces) with spaces and tabs trimmed, or nil when
    /// the header has another scheme or nothing after it. Read byte by byte: every request with a key asks.
    static func bearerToken(_ header: String) -> String? {
        let utf8 = header.utf8
        let space = UInt8(ascii: " ")
        guard let schemeStart = utf8.firstIndex(where: { $0 != space }),
            let schemeEnd = utf8[schemeStart...].firstIndex(of: space),
            utf8.index(after: schemeEnd) != utf8.endIndex,
            utf8[schemeStart..<schemeEnd].elementsEqual("bearer".utf8, by: { $0 | 0x20 == $1 })
        else { return nil }
        let isBlank = { (byte: UInt8) in byte == space || byte == UInt8(ascii: "\t") }
        let rest = utf8[utf8.index(after: schemeEnd)...]
        guard let first = rest.firstIndex(where: { !isBlank($0) }), let last = rest.lastIndex(where: { !isBlank($0) })
        else { return "" }
        return String(decoding: utf8[first...last], as: UTF8.self)
    }

    /// Live key `keyID`: from memory, or from the database when memory does not have it and it was not recently
    /// found unknown.
    private func liveKey(_ keyID: String) async throws -> LiveKey? {
        let (cached, generation) = cache.withLock { ($0.keys[keyID], $0.generation) }
        if let cached { return cached }
        if unknown.contains(keyID) { return nil }
        guard let found = try await keyStore.liveKey(id: keyID) else {
            unknown.insert(keyID)
            return nil
        }
        cache.withLock { cache in
            if cache.generation == generation { cache.keys[keyID] = found }
        }
        return found
    }

    private static func unauthorized(_ message: String) -> AuthRefusal {
        .unauthenticated(message)
    }
}
