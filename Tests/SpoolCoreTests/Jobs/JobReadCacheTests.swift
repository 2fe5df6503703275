import SpoolJSON
import Testing
@testable import SpoolCore

@Suite("Single-job reads answered from memory")
struct JobReadCacheTests {
    @Test("a cached job read after a transition shows the transition, not the cached answer")
    func transitionInvalidates() async throws {
        try await withGateway(configure: { $0.dispatch.maxInflight = 1 }, simulate: { $0.runSeconds = 30 }) { spool in
            let key = try await spool.key(team: "marketing")
            let first = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            _ = try await spool.waitForJob(first, key: key) { $0["status"]?.stringValue == "in_progress" }
            let second = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)

            let before = try await spool.readUntilCached(second, key: key)
            #expect(spool.gateway.jobReadCache.contains(second), "the read was cached")
            #expect(before.json["status"]?.stringValue == "queued")
            #expect(try await spool.request(.get, "/v1/jobs/\(second)", key: key).body == before.body, "a hit answers the same")

            #expect(try await spool.request(.post, "/v1/jobs/\(second)/cancel", key: key).status == 202)
            let after = try await spool.request(.get, "/v1/jobs/\(second)", key: key).json
            #expect(after["status"]?.stringValue == "cancelled")
            #expect(after["history"]?.arrayValue?.compactMap { $0["status"]?.stringValue } == ["queued", "cancelled"])
        }
    }

    @Test("another team's key gets 404 for a cached job, and the job's own team still gets it")
    func otherTeamStillRefused() async throws {
        try await withGateway { spool in
            let owner = try await spool.key(team: "marketing")
            let stranger = try await spool.key(team: "sales")
            let id = try #require(try await spool.request(.post, "/v1/jobs", key: owner, json: submission()).json["id"]?.stringValue)
            _ = try await spool.waitUntilTerminal(id, key: owner)
            #expect(try await spool.readUntilCached(id, key: owner).status == 200)
            #expect(spool.gateway.jobReadCache.contains(id), "the read was cached")

            let refused = try await spool.request(.get, "/v1/jobs/\(id)", key: stranger)
            #expect(refused.status == 404)
            #expect(refused.json["error"]?["code"]?.stringValue == "not_found")
            #expect(try await spool.request(.get, "/v1/jobs/\(id)", key: owner).json["id"]?.stringValue == id)
            #expect(try await spool.request(.get, "/v1/jobs/\(id)").status == 401, "a hit still needs a key")
        }
    }

    @Test("the cache holds at most its capacity, dropping the least recently read job first")
    func bounded() {
        let cache = JobReadCache(capacity: 3, hub: JobEventHub())
        func entry(_ team: String) -> JobReadCache.Entry {
            JobReadCache.Entry(team: team, updatedAt: .now(), body: Array(team.utf8))
        }
        for id in ["a", "b", "c"] { cache.store(id, entry(id), ticket: cache.ticket()) }
        _ = cache.entry("a")
        for id in ["d", "e"] { cache.store(id, entry(id), ticket: cache.ticket()) }
        #expect(cache.count == 3)
        #expect(cache.contains("a") && cache.contains("d") && cache.contains("e"))
        #expect(!cache.contains("b") && !cache.contains("c"))
        cache.invalidate("d")
        #expect(cache.count == 2)
        #expect(cache.entry("a")?.body == Array("a".utf8) && cache.entry("e")?.body == Array("e".utf8))
    }

    @Test("a read that started before an invalidation does not store what it read")
    func staleReadNotStored() {
        let cache = JobReadCache(capacity: 8, hub: JobEventHub())
        let ticket = cache.ticket()
        cache.invalidate("job")
        cache.store("job", JobReadCache.Entry(team: "t", updatedAt: .now(), body: []), ticket: ticket)
        #expect(!cache.contains("job"))
    }

    @Test("a suspended cache (a replica without its LISTEN) keeps nothing; resumed, it keeps again; suspended again, it is empty")
    func suspension() {
        let cache = JobReadCache(capacity: 8, hub: JobEventHub(), suspended: true)
        let entry = JobReadCache.Entry(team: "t", updatedAt: .now(), body: [1])
        cache.store("job", entry, ticket: cache.ticket())
        #expect(!cache.contains("job"))
        cache.resume()
        cache.store("job", entry, ticket: cache.ticket())
        #expect(cache.contains("job"))
        cache.suspend()
        #expect(!cache.contains("job"))
        cache.store("job", entry, ticket: cache.ticket())
        #expect(!cache.contains("job"))
    }
}
