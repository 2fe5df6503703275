import Logging
import SpoolPostgres

/// Brings what other replicas change into this one, from PostgreSQL's `NOTIFY`s (one `LISTEN` connection).
///
/// - `spool_jobs` (payload: a job id): the job's cached read is dropped; when someone here watches the job (an
///   event stream, a `Prefer: wait`, the fal surface), its new transitions are read from the history table and
///   published on the local `JobEventHub`, which drops those it already handed out (this replica's own).
/// - `spool_keys` (payload: a key id): the id is no longer "unknown" and the keys are reloaded, so a revocation is
///   refused everywhere as soon as it commits.
/// `spool_secrets` is not listened to: no replica caches webhook secrets (a delivery reads its team's when it is
/// made), so a rotation is in force everywhere once it commits.
///
/// While `LISTEN` is not in place (before it first is, and whenever its connection breaks or stops answering),
/// the read cache keeps nothing: another replica's changes could not be heard of. Whenever `LISTEN` is
/// (re)established, notifications may have been missed: the cache starts again empty, every watched job is caught
/// up from its history by sequence number, and the keys are reloaded.
final class ClusterNotifications: Sendable {
    static let jobsChannel = "spool_jobs"
    static let keysChannel = "spool_keys"

    private let listener: PostgresListener
    private let store: any JobStore
    private let hub: JobEventHub
    private let readCache: JobReadCache
    private let authenticator: Authenticator
    private let logger: Logger

    init(url: PostgresURL, store: any JobStore, hub: JobEventHub, readCache: JobReadCache,
         authenticator: Authenticator, logger: Logger) {
        listener = PostgresListener(url: url, channels: [Self.jobsChannel, Self.keysChannel], logger: logger)
        self.store = store
        self.hub = hub
        self.readCache = readCache
        self.authenticator = authenticator
        self.logger = logger
    }

    /// Listens and relays until the calling task is cancelled.
    func run() async {
        let jobs = await listener.events(on: Self.jobsChannel)
        let keys = await listener.events(on: Self.keysChannel)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.listener.run() }
            group.addTask {
                for await event in jobs { await self.relayJobs(event) }
            }
            group.addTask {
                for await event in keys { await self.relayKeys(event) }
            }
        }
    }

    private func relayJobs(_ event: PostgresListener.Event) async {
        switch event {
        case .notification(let jobID):
            readCache.invalidate(jobID)
            if hub.hasSubscribers(jobID) { await catchUp(jobID) }
        case .interrupted:
            readCache.suspend()
        case .listening:
            readCache.resume()
            for jobID in hub.watchedJobIDs { await catchUp(jobID) }
        }
    }

    /// Publishes job `jobID`'s transitions after the last one handed out here (only the newest when none was),
    /// each as the job was then; a change without a transition as the job now is.
    private func catchUp(_ jobID: String) async {
        let read: (Job, [JobEvent])?
        do { read = try await store.jobWithHistory(jobID) } catch {
            logger.warning("could not read a job another replica changed",
                           metadata: ["job_id": "\(jobID)", "error": "\(error)"])
            return
        }
        guard let (job, history) = read, let newest = history.last else { return }
        let since = hub.lastPublishedSequence(of: jobID) ?? newest.sequence - 1
        let fresh = history.indices.filter { history[$0].sequence > since }
        guard !fresh.isEmpty else {
            hub.publish(.changed(job))
            return
        }
        for index in fresh {
            let asOf = index == history.count - 1 ? job : job.asOf(index, in: history)
            hub.publish(.transition(asOf, history[index]))
        }
    }

    private func relayKeys(_ event: PostgresListener.Event) async {
        switch event {
        case .notification(let keyID): authenticator.unknown.forget(keyID)
        case .listening: authenticator.unknown.forget(nil)
        // The keys are reloaded on a timer as well; a revocation made meanwhile is refused here by the next one.
        case .interrupted: return
        }
        do { try await authenticator.reload() } catch {
            logger.warning("could not reload API keys after a change", metadata: ["error": "\(error)"])
        }
    }
}
