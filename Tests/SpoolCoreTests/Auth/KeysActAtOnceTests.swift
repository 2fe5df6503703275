import SpoolTestSupport
import Testing
@testable import SpoolCore

@Suite("API keys: a key made by another process works on its first request; a revocation lands within a second")
struct KeysActAtOnceTests {
    @Test("a key created through a second connection, as `spool keys create` does, authenticates on the next request")
    func createdElsewhereWorksAtOnce() async throws {
        try await withGateway { spool in
            let (other, _) = try await DatabaseSetup.open(spool.gateway.configuration)
            let (record, key) = try await other.createKey(team: "marketing", isAdmin: false)

            let first = try await spool.request(.get, "/v1/jobs", key: key)
            #expect(first.status == 200, "\(first.text)")
            let models = try await spool.request(.get, "/v1/models", key: key)
            #expect(models.status == 200)

            #expect(try await other.revokeKey(record.id))
            let refused = try await Self.waitForStatus(401, of: spool, path: "/v1/jobs", key: key, seconds: 10)
            #expect(refused.json["error"]?["code"]?.stringValue == "unauthorized")
        }
    }

    @Test("a well-formed key that is not in the database is refused and remembered as unknown; a wrong secret too")
    func unknownKeysAreRememberedAndRefused() async throws {
        try await withGateway { spool in
            let madeUp = APIKeySecret.generate()
            let keyID = try #require(APIKeySecret.keyID(of: madeUp.key))
            for _ in 0..<3 {
                let answer = try await spool.request(.get, "/v1/jobs", key: madeUp.key)
                #expect(answer.status == 401)
                #expect(answer.json["error"]?["message"]?.stringValue == "The API key is unknown or revoked.")
            }
            #expect(spool.gateway.authenticator.unknown.contains(keyID))

            let real = try await spool.key(team: "marketing")
            let forged = String(real.dropLast()) + (real.hasSuffix("A") ? "B" : "A")
            #expect(try await spool.request(.get, "/v1/jobs", key: forged).status == 401)
            #expect(try await spool.request(.get, "/v1/jobs", key: real).status == 200)
        }
    }

    @Test("the unknown-key memory forgets an id after its lifetime and never holds more than its capacity")
    func unknownKeyCacheIsShortAndBounded() {
        let cache = UnknownKeyCache(capacity: 3, lifetime: .seconds(3))
        let start = ContinuousClock.now
        cache.insert("key_a", at: start)
        #expect(cache.contains("key_a", at: start + .seconds(2)))
        #expect(!cache.contains("key_a", at: start + .seconds(3)))
        #expect(!cache.contains("key_b", at: start))
        for index in 0..<10 { cache.insert("key_\(index)", at: start) }
        #expect(cache.count <= 3)
        #expect(cache.contains("key_9", at: start))
    }

    /// Requests `path` until it answers `status` or `seconds` pass; returns the last answer.
    static func waitForStatus(
        _ status: Int, of spool: TestGateway, path: String, key: String, seconds: Double
    ) async throws -> TestGateway.Response {
        let last = try await lastRead(within: .seconds(seconds), { try await spool.request(.get, path, key: key) },
                                      until: { $0.status == status })
        #expect(last.status == status)
        return last
    }
}
