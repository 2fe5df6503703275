import SpoolJSON
import Testing
@testable import SpoolCore

/// The store's guarantees, the same on every backend.
@Suite("The store, on SQLite and on PostgreSQL", .timeLimit(.minutes(2)))
struct GatewayStoreTests {
    @Test("a job is stored with its first history entry; the same key and body replay it, another body conflicts",
          arguments: StoreBackend.available)
    func insertAndIdempotency(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store, _ in
            let claim = IdempotencyClaim(key: "boat-1", requestSHA256: "aaa")
            let first = newJob()
            guard case .created(let job, let event) = try await store.insert(first, idempotency: claim, limits: .init())
            else { Issue.record("not created"); return }
            #expect(event.sequence == 1 && event.status == .queued && event.note == "accepted")
            let stored = try #require(try await store.jobWithHistory(job.id))
            #expect(stored.0 == job)
            #expect(stored.1 == [event])

            guard case .replayed(let replayed) = try await store.insert(newJob(), idempotency: claim, limits: .init())
            else { Issue.record("not replayed"); return }
            #expect(replayed.id == job.id)
            let other = IdempotencyClaim(key: "boat-1", requestSHA256: "bbb")
            guard case .idempotencyConflict(let jobID) = try await store.insert(newJob(), idempotency: other, limits: .init())
            else { Issue.record("no conflict"); return }
            #expect(jobID == job.id)
            #expect(try await store.jobs(JobListFilter(limit: 10)).map(\.id) == [job.id])
        }
    }

    @Test("two submits racing with one Idempotency-Key store one job: the other is answered with it as a replay",
          arguments: StoreBackend.available)
    func racingIdempotencyKeys(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store, _ in
            for round in 0..<5 {
                let claim = IdempotencyClaim(key: "race-\(round)", requestSHA256: "same")
                async let first = store.insert(newJob(), idempotency: claim, limits: .init())
                async let second = store.insert(newJob(), idempotency: claim, limits: .init())
                var created: [String] = [], replayed: [String] = []
                for outcome in try await [first, second] {
                    switch outcome {
                    case .created(let job, _): created.append(job.id)
                    case .replayed(let job): replayed.append(job.id)
                    default: Issue.record("unexpected outcome \(outcome)")
                    }
                }
                #expect(created.count == 1 && replayed.count == 1)
                #expect(Set(created + replayed).count == 1, "both answers name the one stored job")
            }
            #expect(try await store.jobs(JobListFilter(limit: 10)).count == 5)
        }
    }

    @Test("a team's queued quota is checked in the insert's transaction", arguments: StoreBackend.available)
    func quota(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store, _ in
            var limits = SpoolConfiguration.TeamLimits()
            limits.maxQueued = 2
            for _ in 0..<2 { _ = try await store.insert(newJob(), idempotency: nil, limits: limits) }
            guard case .quotaExceeded(let limit) = try await store.insert(newJob(), idempotency: nil, limits: limits)
            else { Issue.record("the third job was accepted"); return }
            #expect(limit == 2)
            guard case .created = try await store.insert(newJob(team: "research"), idempotency: nil, limits: limits)
            else { Issue.record("another team was refused"); return }
        }
    }

    @Test("a transition is compare-and-set, writes its history and outbox row, and never leaves a terminal state",
          arguments: StoreBackend.available)
    func transitions(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store, _ in
            let job = try await store.insertJob(newJob(webhookURL: "https://example.com/hook"))
            let refused = try await store.update(job.id, expecting: .inQueue, claimedBy: nil, at: .now(), note: nil) {
                $0.status = .cancelled
            }
            #expect(refused == nil)
            let change = try #require(try await store.update(
                job.id, expecting: .queued, claimedBy: nil, at: .now(), note: "by test") { $0.status = .cancelled })
            #expect(change.previous == .queued)
            #expect(change.event?.sequence == 2)
            #expect(change.job.completedAt != nil)
            let after = try await store.update(job.id, expecting: nil, claimedBy: nil, at: .now(), note: nil) {
                $0.status = .queued
            }
            #expect(after == nil)
            let history = try #require(try await store.jobWithHistory(job.id)).1
            #expect(history.map(\.status) == [.queued, .cancelled])
            #expect(history.last?.note == "by test")
            let deliveries = try await store.deliveries(ofJob: job.id)
            #expect(deliveries.map(\.eventType).sorted() == ["job.cancelled", "job.status"])
        }
    }

    @Test("claims take higher priority first and stop at the global and per-team in-flight caps",
          arguments: StoreBackend.available)
    func claimCaps(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store, _ in
            let urgent = try await store.insertJob(newJob(team: "research", priority: 5))
            for _ in 0..<3 { _ = try await store.insertJob(newJob(team: "marketing")) }
            _ = try await store.insertJob(newJob(team: "research"))
            var teams = SpoolConfiguration.Teams()
            teams.overrides["marketing"] = SpoolConfiguration.TeamLimits(maxInflight: 1)
            let claimed = try await store.claimJobs(10, maxInflight: 3, teams: teams)
            #expect(claimed.first?.job.id == urgent.id)
            #expect(claimed.count == 3)
            #expect(claimed.filter { $0.job.team == "marketing" }.count == 1)
            #expect(claimed.allSatisfy { $0.job.status == .submitting && $0.job.attempts == 1 && $0.event?.status == .submitting })
            #expect(try await store.claimJobs(10, maxInflight: 3, teams: teams).isEmpty)
            #expect(try await store.mightClaim(maxInflight: 3) == false)
            #expect(try await store.mightClaim(maxInflight: 4))
        }
    }

    @Test("a lapsed claim goes back to the queue once; a claim renewed in time stays", arguments: StoreBackend.available)
    func lapsedClaims(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store, _ in
            for _ in 0..<2 { _ = try await store.insertJob(newJob()) }
            let claimed = try await store.claimJobs(2, leaseSeconds: 0)
            #expect(claimed.count == 2)
            let renewed = claimed[0].job.id
            #expect(try await store.renewLease(renewed, owner: "proc_a", until: Timestamp.now().adding(seconds: 60)))
            #expect(try await store.renewLease(renewed, owner: "proc_b", until: Timestamp.now().adding(seconds: 60)) == false)
            let lapsed = try await store.lapsedClaims(at: Timestamp.now().adding(seconds: 1), exceptOwner: nil)
            #expect(lapsed.map(\.jobID) == [claimed[1].job.id])
            let note = "resubmitting"
            let requeued = try #require(try await store.requeue(lapsed[0], at: .now(), note: note))
            #expect(requeued.job.status == .queued)
            #expect(try await store.requeue(lapsed[0], at: .now(), note: note) == nil)
            let owned = try await store.update(renewed, expecting: nil, claimedBy: "proc_b", at: .now(), note: nil) {
                $0.status = .inQueue
            }
            #expect(owned == nil, "only the claim's owner moves it on")
        }
    }

    @Test("keys are created, listed and revoked; a rotated secret keeps signing beside the new one",
          arguments: StoreBackend.available)
    func keysAndSecrets(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store, _ in
            let (record, key) = try await store.createKey(team: "marketing", isAdmin: true)
            #expect(key.hasPrefix("spool_"))
            #expect(try await store.liveKey(id: record.id)?.isAdmin == true)
            #expect(try await store.keys().map(\.id) == [record.id])
            #expect(try await store.revokeKey(record.id))
            #expect(try await store.revokeKey(record.id) == false)
            #expect(try await store.liveKeys().isEmpty)

            let now = Timestamp.now()
            let first = try await store.secret(for: "marketing", rotate: false, at: now)
            #expect(first.signing == [first.secret])
            #expect(try await store.secret(for: "marketing", rotate: false, at: now).secret == first.secret)
            let rotated = try await store.secret(for: "marketing", rotate: true, at: now)
            #expect(rotated.signing == [rotated.secret, first.secret])
            let later = now.adding(seconds: Double(WebhookSecrets.overlapMilliseconds) / 1000 + 1)
            #expect(try await store.signingSecrets(for: "marketing", at: later) == [rotated.secret])
        }
    }
}
