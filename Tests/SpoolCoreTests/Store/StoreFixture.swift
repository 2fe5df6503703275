import Foundation
import SpoolJSON
import SpoolTestSupport
@testable import SpoolCore

/// A store opened and migrated as a gateway opens it, on a fresh database of `backend`, closed after `body`.
func withStore<Result: Sendable>(
    _ backend: StoreBackend, _ body: (any GatewayStore, SpoolConfiguration) async throws -> Result
) async throws -> Result {
    let directory = try TemporaryDirectory()
    var configuration = SpoolConfiguration()
    configuration.database = directory.path + "/spool.db"
    configuration.databaseURL = backend == .postgres ? try await StoreBackend.newPostgresDatabase() : nil
    configuration.migrationsDirectory = RepositoryPaths.root + "/migrations"
    let (store, _) = try await DatabaseSetup.open(configuration, logger: quietLogger("store"))
    do {
        let result = try await body(store, configuration)
        await store.close()
        return result
    } catch {
        await store.close()
        throw error
    }
}

/// A job of `team` to insert, with `priority` and, when given, a webhook asking for every event.
func newJob(team: String = "marketing", priority: Int = 0, webhookURL: String? = nil, at time: Timestamp = .now()) -> NewJob {
    NewJob(
        id: Identifier.make("job_", at: time), team: team, model: exampleModel, falEndpoint: "fal-ai/test",
        input: ["prompt": "a boat"], metadata: nil, priority: priority, webhookURL: webhookURL,
        webhookEvents: webhookURL == nil ? [] : WebhookOutbox.eventTypes, estimatedCostUSD: 1, deadlineAt: nil,
        createdAt: time)
}

extension GatewayStore {
    /// Inserts `new` with no limits and returns the stored job.
    func insertJob(_ new: NewJob) async throws -> Job {
        guard case .created(let job, _) = try await insert(new, idempotency: nil, limits: .init()) else {
            throw StoredDataError("the job was not created")
        }
        return job
    }

    /// Claims up to `limit` jobs for `owner` under `maxInflight` and `teams`.
    func claimJobs(
        _ limit: Int, owner: String = "proc_a", maxInflight: Int = 100, teams: SpoolConfiguration.Teams = .init(),
        leaseSeconds: Double = 60
    ) async throws -> [JobTransitions.Change] {
        try await claim(
            limit: limit, at: .now(), owner: owner, leaseSeconds: leaseSeconds,
            rules: ClaimRules(maxInflight: maxInflight, teams: teams), turns: [:]).changes
    }
}
