import Logging
import SpoolHTTP
import SpoolStore
import Synchronization

/// Turns `Authorization: Bearer <key>` into a `Principal`, without touching the database on the request path.
///
/// Live keys (id, team, admin flag, SHA-256) are cached in memory and reloaded every `refreshInterval` seconds,
/// so a key created or revoked with `spool keys` by another process takes effect within that interval. The
/// admin key from the configuration (`SPOOL_ADMIN_KEY`) is held only as its hash.
public final class Authenticator: Sendable {
    private struct Entry: Sendable {
        var team: String
        var isAdmin: Bool
        var sha256: String
    }

    private let keys = Mutex<[String: Entry]>([:])
    private let configuredAdminHash: String?
    public let refreshInterval: Double

    /// The team name an admin key from the configuration acts as.
    public static let configuredAdminTeam = "admin"

    public init(adminKey: String?, refreshInterval: Double = 1) {
        configuredAdminHash = adminKey.map(APIKeySecret.hash)
        self.refreshInterval = refreshInterval
    }

    /// Replaces the cache with the database's live keys.
    public func reload(from database: SQLiteDatabase) async throws {
        let live = try await database.read { connection in
            try APIKeyStore.liveHashes(on: connection).mapValues { Entry(team: $0.team, isAdmin: $0.isAdmin, sha256: $0.sha256) }
        }
        keys.withLock { $0 = live }
    }

    /// Reloads the cache every `refreshInterval` seconds until the task is cancelled.
    public func keepFresh(from database: SQLiteDatabase, logger: Logger) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(refreshInterval))
            do { try await reload(from: database) } catch {
                logger.warning("could not reload API keys", metadata: ["error": "\(error)"])
            }
        }
    }

    /// The caller of `request`, or a 401 `unauthorized` error.
    public func authenticate(_ request: HTTPRequest) throws(HTTPError) -> Principal {
        guard let header = request.headers["Authorization"] else {
            throw Self.unauthorized("Send your API key as `Authorization: Bearer <key>`.")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw Self.unauthorized("Send your API key as `Authorization: Bearer <key>`.")
        }
        let presented = parts[1].trimmingCharacters(in: " \t")
        let presentedHash = APIKeySecret.hash(presented)
        if let adminHash = configuredAdminHash, APIKeySecret.constantTimeEquals(presentedHash, adminHash) {
            return Principal(keyID: "configured-admin", team: Self.configuredAdminTeam, isAdmin: true)
        }
        if let keyID = APIKeySecret.keyID(of: presented), let entry = keys.withLock({ $0[keyID] }),
            APIKeySecret.constantTimeEquals(presentedHash, entry.sha256)
        {
            return Principal(keyID: keyID, team: entry.team, isAdmin: entry.isAdmin)
        }
        throw Self.unauthorized("The API key is unknown or revoked.")
    }

    private static func unauthorized(_ message: String) -> HTTPError {
        HTTPError(.unauthorized, code: "unauthorized", message: message, headers: ["WWW-Authenticate": "Bearer"])
    }
}
