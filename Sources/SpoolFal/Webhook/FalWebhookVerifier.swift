import Crypto
import Foundation
import Logging
import SpoolJSON

/// Checks that a webhook comes from fal: an Ed25519 signature by a key of fal's JWKS over the request id, user id,
/// timestamp and body digest, with the timestamp within 300 s of now.
///
/// The key set is fetched on first use and kept up to `cacheLifetime` (24 h). When no cached key verifies a
/// signature, the set is fetched again in case fal rotated keys, but at most once per `minimumRefetchInterval`
/// (a minute), so forged requests cannot make Spool hammer the JWKS URL. If a fetch fails, the last set fetched
/// is used until a later fetch succeeds.
package actor FalWebhookVerifier {
    package static let falJWKSURL = "https://rest.fal.ai/.well-known/jwks.json"

    private let source: KeySource
    private let cacheLifetime: Duration
    private let minimumRefetchInterval: Duration
    private let logger: Logger
    private var cached: (keys: [FalWebhookKey], fetchedAt: ContinuousClock.Instant)?
    private var lastFetchStart: ContinuousClock.Instant?
    private var fetching: Task<[FalWebhookKey], Error>?

    private enum KeySource {
        case jwks(url: String, http: HTTPClient)
        case fixed([FalWebhookKey])
    }

    /// A verifier that fetches the key set from `jwksURL` (fal's, or the emulator's) with `httpClient`.
    package init(
        jwksURL: String = FalWebhookVerifier.falJWKSURL, httpClient: HTTPClient,
        cacheLifetime: Duration = .seconds(24 * 3600), minimumRefetchInterval: Duration = .seconds(60),
        logger: Logger = Logger(label: "spool.fal.webhook")
    ) {
        source = .jwks(url: jwksURL, http: httpClient)
        self.cacheLifetime = cacheLifetime
        self.minimumRefetchInterval = minimumRefetchInterval
        self.logger = logger
    }

    /// A verifier with a fixed key set, fetching nothing.
    package init(publicKeys: [Curve25519.Signing.PublicKey]) {
        source = .fixed(publicKeys.compactMap { FalWebhookKey(rawRepresentation: Array($0.rawRepresentation)) })
        cacheLifetime = .zero
        minimumRefetchInterval = .zero
        logger = Logger(label: "spool.fal.webhook")
    }

    /// Verifies a webhook given its header fields (names compare case-insensitively) and raw body bytes.
    package func verify(
        headers: [(String, String)], body: [UInt8], now: Date = Date()
    ) async throws(FalWebhookVerificationError) {
        let fields = HTTPClientHeaders(headers)
        try await verify(SignedWebhook(header: { fields[$0] }, body: body, now: now))
    }

    /// Verifies a webhook given a header lookup (`name → first value`) and its raw body bytes.
    package func verify(
        header: @Sendable (String) -> String?, body: [UInt8], now: Date = Date()
    ) async throws(FalWebhookVerificationError) {
        try await verify(SignedWebhook(header: header, body: body, now: now))
    }

    private func verify(_ webhook: SignedWebhook) async throws(FalWebhookVerificationError) {
        if webhook.isSigned(byAnyOf: try await currentKeys()) { return }
        guard let refreshed = await keysAfterMismatch(), webhook.isSigned(byAnyOf: refreshed) else {
            throw .signatureMismatch
        }
    }

    private func currentKeys() async throws(FalWebhookVerificationError) -> [FalWebhookKey] {
        guard case .jwks = source else { return fixedKeys }
        if let cached, cached.fetchedAt.duration(to: .now) < cacheLifetime || fetchedRecently {
            return cached.keys
        }
        if cached == nil, fetchedRecently, fetching == nil {
            throw .keysUnavailable("the last JWKS fetch failed less than \(minimumRefetchInterval) ago")
        }
        do throws(FalWebhookVerificationError) {
            return try await fetch()
        } catch {
            guard let cached else { throw error }
            logger.warning("JWKS refresh failed; using the previous key set", metadata: ["error": "\(error)"])
            return cached.keys
        }
    }

    /// A fresh key set after a signature matched no cached key, unless one was fetched too recently.
    private func keysAfterMismatch() async -> [FalWebhookKey]? {
        guard case .jwks = source, !fetchedRecently else { return nil }
        return try? await fetch()
    }

    private var fetchedRecently: Bool {
        lastFetchStart.map { $0.duration(to: .now) < minimumRefetchInterval } ?? false
    }

    private var fixedKeys: [FalWebhookKey] {
        if case .fixed(let keys) = source { return keys }
        return []
    }

    /// Fetches the key set, joining a fetch already under way.
    private func fetch() async throws(FalWebhookVerificationError) -> [FalWebhookKey] {
        guard case .jwks(let url, let http) = source else { return fixedKeys }
        let task: Task<[FalWebhookKey], Error>
        if let fetching {
            task = fetching
        } else {
            lastFetchStart = .now
            task = Task { try await Self.download(url, with: http) }
            fetching = task
        }
        defer { if fetching == task { fetching = nil } }
        do {
            let keys = try await task.value
            cached = (keys, .now)
            return keys
        } catch {
            throw error as? FalWebhookVerificationError ?? .keysUnavailable(String(describing: error))
        }
    }

    private static func download(_ url: String, with http: HTTPClient) async throws -> [FalWebhookKey] {
        let response = try await http.execute(HTTPClientRequest(url: url, headers: [("Accept", "application/json")],
                                                                 maxResponseBytes: 1 << 20))
        guard response.status == 200 else {
            throw FalWebhookVerificationError.keysUnavailable("JWKS answered HTTP \(response.status)")
        }
        return try FalJWKS.keys(from: JSONValue(parsing: response.body))
    }
}
