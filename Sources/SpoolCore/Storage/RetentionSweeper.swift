import Logging

/// Deletes stored files whose retention (`storage.retention_days`) has ended, every
/// `storage.sweep_interval_seconds`, and marks them `expired` (their URL then answers 410 `gone`). A file
/// whose bytes could not be deleted stays `stored` and is tried again at the next sweep. The job's `updated_at`
/// does not move: its files are not part of the job's state machine.
struct RetentionSweeper: Sendable {
    let records: any JobFileRecords
    let storage: any FileStorage
    let hub: JobEventHub
    let metrics: SpoolMetrics
    let intervalSeconds: Double
    let logger: Logger

    func run() async {
        while !Task.isCancelled {
            await sweep(at: .now())
            guard (try? await Task.sleep(for: .seconds(intervalSeconds))) != nil else { return }
        }
    }

    /// Deletes what has expired by `time`, in batches; returns how many files went.
    @discardableResult
    func sweep(at time: Timestamp) async -> Int {
        var deleted = 0
        while !Task.isCancelled {
            let batch: [JobFile]
            do {
                batch = try await records.expired(at: time, limit: 100)
            } catch {
                logger.warning("could not read expired files", metadata: ["error": "\(error)"])
                break
            }
            var progressed = false
            for file in batch {
                guard let key = file.storageKey else { continue }
                do {
                    try await storage.delete(key: key)
                    // Readers of the job (its cached answer included) learn that the file went.
                    if let job = try await records.markExpired(file, at: time) { hub.publish(.changed(job)) }
                    deleted += 1
                    progressed = true
                } catch {
                    logger.warning("could not delete an expired file", metadata: [
                        "job_id": "\(file.jobID)", "file": "\(file.name)", "error": "\(error)",
                    ])
                }
            }
            if batch.count < 100 || !progressed { break }
        }
        if deleted > 0 {
            metrics.recordExpiredFiles(deleted)
            logger.info("deleted files at the end of their retention", metadata: ["count": "\(deleted)"])
        }
        return deleted
    }
}
