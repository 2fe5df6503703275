import Logging
import SpoolFal
import SpoolJSON
import Synchronization

/// Copies every output file of a completed run into Spool's storage before the job is seen `completed`.
///
/// When fal's output arrives (`resultArrived`), the result is saved and each file object found in it is recorded
/// `pending` in the same transaction, while the job keeps its running status (`in_progress`, or `in_queue` for a
/// run never seen running) and shows no result: waiters, event streams and the `job.completed` webhook see
/// nothing yet. Each file is then downloaded (`FileDownloader`) into a staging file,
/// checked, and stored (`FileStorage.store`); one that cannot be copied is settled `failed` with its reason.
/// Once no file is pending the job moves to `completed` with its `files`.
///
/// The process that saved the result copies its files, under the job's lease where replicas share the store.
/// A copy left unfinished (a restart, a replica that stopped or died) is resumed by whichever process takes the
/// job up next (`resume`, from `JobTracker.adopt`): it goes on from the bytes already in the staging folder, and a
/// stored file is never fetched again. No other process starts a copy of a job whose lease is held, so two never
/// write the same staging file. Keeping the job in its running status, rather than adding a status, leaves the
/// public state machine as the contract has it.
final class FileCapture: Sendable {
    let records: any JobFileRecords
    let storage: any FileStorage
    let hub: JobEventHub
    let metrics: SpoolMetrics
    let configuration: SpoolConfiguration
    /// This process's lease owner name, which a saved result's lease passes to.
    let owner: String
    let logger: Logger
    /// Called once a job completes here, so that the dispatcher can use its slot.
    let onCompleted: @Sendable () -> Void
    private let client: HTTPClient
    private let downloader: FileDownloader
    private let slots: CaptureSlots
    private let falCopy: FalCopyDeleter
    private let running = Mutex<[String: Task<Void, Never>]>([:])
    private let stopped = Mutex(false)

    init(
        records: any JobFileRecords, storage: any FileStorage, hub: JobEventHub, metrics: SpoolMetrics,
        configuration: SpoolConfiguration, owner: String, logger: Logger, onCompleted: @escaping @Sendable () -> Void
    ) {
        self.records = records
        self.storage = storage
        self.hub = hub
        self.metrics = metrics
        self.configuration = configuration
        self.owner = owner
        self.logger = logger
        self.onCompleted = onCompleted
        client = HTTPClient(
            configuration: HTTPClientConfiguration(totalTimeout: .seconds(600)), logger: logger.child("spool.capture"))
        downloader = FileDownloader(client: client, maxBytes: configuration.storage.maxFileBytes)
        slots = CaptureSlots(limit: configuration.storage.concurrency)
        falCopy = FalCopyDeleter(client: client, configuration: configuration, logger: logger)
    }

    /// fal's output for `job` is in: saves it with its files pending and starts copying them; a result without
    /// files completes the job at once. Nil when another path changed the job first.
    func resultArrived(_ job: Job, output: JSONValue, runStart: Timestamp) async throws -> JobTransitions.Change? {
        let now = Timestamp.now()
        let files = ResultFiles.find(in: output).map { found in
            JobFile(
                jobID: job.id, name: found.name, team: job.team, resultPath: found.pointer, sourceURL: found.url,
                contentType: found.contentType, declaredSize: found.declaredSize, state: .pending, createdAt: now)
        }
        let note = files.isEmpty
            ? "result collected"
            : "result collected; copying \(files.count) output file\(files.count == 1 ? "" : "s") into storage"
        guard let change = try await records.saveResult(
            jobID: job.id, expecting: job.status, output: output, files: files, runStart: runStart, note: note,
            copier: owner, leaseUntil: now.adding(seconds: configuration.dispatch.leaseSeconds))
        else { return nil }
        announce(change)
        if !files.isEmpty { start(job.id) }
        return change
    }

    /// Goes on with the copy of a job whose result an earlier process saved (one that restarted, or a replica that
    /// stopped or died while copying, whose job this one took up). Does nothing, and answers false, while this
    /// process copies it already or is stopping.
    @discardableResult
    func resume(_ jobID: String) -> Bool {
        guard start(jobID) else { return false }
        logger.notice("resuming a file copy", metadata: ["job_id": "\(jobID)"])
        return true
    }

    /// The jobs whose files this process is copying now.
    var copyingIDs: [String] { running.withLock { Array($0.keys) } }

    /// Whether this process is copying job `jobID`'s files now.
    func isCopying(_ jobID: String) -> Bool { running.withLock { $0[jobID] != nil } }

    /// Cancels the copies in flight (shutdown); their staging files stay for the next process.
    func stop() async {
        stopped.withLock { $0 = true }
        let tasks = running.withLock { Array($0.values) }
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
        client.shutdown()
    }

    /// Starts copying job `jobID`'s files, unless this process copies them already or is stopping.
    @discardableResult
    private func start(_ jobID: String) -> Bool {
        running.withLock { running in
            guard running[jobID] == nil, !stopped.withLock({ $0 }) else { return false }
            running[jobID] = Task { [self] in
                await capture(jobID)
                _ = self.running.withLock { $0.removeValue(forKey: jobID) }
            }
            return true
        }
    }

    /// Copies the job's pending files, then completes it.
    private func capture(_ jobID: String) async {
        do {
            let files = try await records.files(of: jobID).filter { $0.state == .pending }
            await withTaskGroup(of: Void.self) { group in
                for file in files {
                    group.addTask { [self] in
                        await slots.run { await copy(file) }
                    }
                }
            }
            try Task.checkCancellation()
            try await finish(jobID)
        } catch is CancellationError {
            return
        } catch {
            logger.error("could not record a file copy", metadata: ["job_id": "\(jobID)", "error": "\(error)"])
        }
    }

    /// Copies one file and records how it went. A cancelled copy (shutdown) stays pending.
    private func copy(_ file: JobFile) async {
        guard !Task.isCancelled else { return }
        let started = ContinuousClock.now
        var settled = file
        do {
            let stored = try await download(file)
            settled.state = .stored
            settled.size = stored.size
            settled.sha256 = stored.sha256
            settled.storageKey = stored.key
            let storedAt = Timestamp.now()
            settled.storedAt = storedAt
            settled.expiresAt = configuration.storage.retentionDays.map { storedAt.adding(seconds: $0 * 86_400) }
            metrics.recordCapture(outcome: "stored", seconds: started.secondsElapsed, bytes: stored.size)
        } catch is CancellationError {
            return
        } catch {
            if Task.isCancelled { return }
            settled.state = .failed
            settled.reason = Self.reason(for: error)
            metrics.recordCapture(outcome: (error as? StorageError)?.isFull == true ? "storage_full" : "failed",
                                  seconds: started.secondsElapsed, bytes: nil)
            logger.error("output file not stored; the job keeps fal's URL", metadata: [
                "job_id": "\(file.jobID)", "file": "\(file.name)", "reason": "\(settled.reason!)",
            ])
        }
        do {
            try await records.settle(settled)
        } catch {
            logger.error("could not record a file copy", metadata: ["job_id": "\(file.jobID)", "error": "\(error)"])
        }
    }

    /// What a file entry says when its copy failed.
    static func reason(for error: any Error) -> String {
        switch error {
        case let error as StorageError: return error.description
        case let error as FileDownloader.Failure: return error.description
        default: return "\(error)"
        }
    }

    private func download(_ file: JobFile) async throws -> (key: String, size: Int64, sha256: String) {
        guard let key = StorageKey.make(jobID: file.jobID, name: file.name) else {
            throw StorageError("store \(file.name)", message: "not a valid file name")
        }
        let staging = StagingFile.path(in: storage.stagingDirectory, jobID: file.jobID, name: file.name)
        let partial = try StagingFile(path: staging)
        defer { partial.close() }
        let size: Int64
        let digest: String
        do {
            size = try await downloader.download(
                file.sourceURL, into: partial, declaredSize: file.declaredSize, contentType: file.contentType)
            try partial.sync()
            digest = partial.sha256
            partial.close()
        } catch is CancellationError {
            // Stopping: the bytes received stay for the next process to go on from.
            throw CancellationError()
        } catch {
            // A failed copy leaves nothing behind (on a full disk, least of all).
            StagingFile.remove(staging)
            throw error
        }
        try await storage.store(stagedFile: staging, key: key, contentType: file.contentType, size: size)
        return (key, size, digest)
    }

    /// Moves the job to `completed` once every file is settled; then, for a team that asks, deletes fal's copy.
    private func finish(_ jobID: String) async throws {
        let rewrite = configuration.storage.rewriteResultURLs
        let files = try await records.files(of: jobID)
        let stored = files.filter { $0.state == .stored }.count
        let note = "\(stored) of \(files.count) output file\(files.count == 1 ? "" : "s") stored"
        // (`JSONValue` takes `nil` as JSON null, so the "leave it" answer is spelled `Optional.none`.)
        guard let change = try await records.complete(jobID: jobID, note: note, rewrite: { result, files -> JSONValue? in
            guard rewrite else { return Optional.none }
            return ResultURLRewriter.pointingAtSpool(result, files: files)
        }) else { return }
        announce(change)
        onCompleted()
        if stored == files.count, configuration.teams.limits(for: change.job.team).deleteFalCopy == true,
           let requestID = change.job.fal?.requestID
        {
            await falCopy.delete(requestID: requestID, jobID: jobID)
        }
    }

    private func announce(_ change: JobTransitions.Change) {
        hub.publish(change)
        if let event = change.event { metrics.recordTransition(change.job, event: event, from: change.previous) }
    }
}
