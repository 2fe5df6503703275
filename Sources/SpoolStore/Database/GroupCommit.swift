import CSQLite
import Foundation

/// Group commit: many callers' writes share one transaction and so one fsync.
///
/// Callers of ``SQLiteDatabase/batchedWrite(_:)`` append a request to `pending`. A drain on the writer queue
/// takes every waiting request (up to `maximumBatchSize`), opens one IMMEDIATE transaction, runs each body in
/// its own SAVEPOINT (a body that throws rolls back only its own changes and gets its own error), COMMITs once,
/// and only then resumes the callers. Requests arriving while a batch runs wait for the next drain. If COMMIT
/// fails, every caller of the batch gets that error.
extension SQLiteWriter {
    func enqueue(_ request: any GroupCommitRequest) {
        let mustSchedule = lock.withLock {
            pending.append(request)
            let alreadyScheduled = drainScheduled
            drainScheduled = true
            return !alreadyScheduled
        }
        if mustSchedule { queue.async { self.drain() } }
    }

    /// Commits one batch, then schedules the next drain if more requests arrived (rather than looping, so that
    /// plain `write` calls queued meanwhile get their turn). Runs on the writer queue.
    private func drain() {
        var batch = lock.withLock {
            let taken = Array(pending.prefix(maximumBatchSize))
            pending.removeFirst(taken.count)
            return taken[...]
        }
        while !batch.isEmpty {
            batch = commit(batch)
        }
        let more = lock.withLock {
            drainScheduled = !pending.isEmpty
            return drainScheduled
        }
        if more { queue.async { self.drain() } }
    }

    /// Runs `batch` in one transaction and completes its requests. Returns the requests that were not run because
    /// SQLite rolled back the whole transaction part-way (they go into a fresh transaction).
    private func commit(_ batch: ArraySlice<any GroupCommitRequest>) -> ArraySlice<any GroupCommitRequest> {
        do {
            try connection.run("BEGIN IMMEDIATE")
        } catch {
            batch.forEach { $0.complete(failure: error) }
            return []
        }
        var ran: [any GroupCommitRequest] = []
        for (offset, request) in zip(batch.indices, batch) {
            request.perform(on: connection)
            guard connection.isInTransaction else {
                // SQLITE_FULL, SQLITE_IOERR or a RAISE(ROLLBACK) ended the transaction: earlier bodies' changes
                // are gone too, so they fail; the requests not yet run get a new transaction.
                let lost = SQLiteError(extendedCode: SQLITE_ABORT,
                                       message: "the shared transaction was rolled back by another write of the same "
                                           + "batch (\(request.failureDescription ?? "it ended the transaction"))")
                ran.forEach { $0.complete(failure: lost) }
                request.complete(failure: lost)
                return batch[(offset + 1)...]
            }
            ran.append(request)
        }
        do {
            try connection.run("COMMIT")
            recordCommit()
            ran.forEach { $0.complete(failure: nil) }
        } catch {
            connection.rollbackIfOpen()
            ran.forEach { $0.complete(failure: error) }
        }
        return []
    }
}

/// One caller's body and continuation, erased to a common type so a batch can hold many result types.
protocol GroupCommitRequest: Sendable {
    /// Runs the body in a savepoint and keeps its outcome. Called on the writer queue, in a transaction.
    func perform(on connection: SQLiteConnection)
    /// The body's error, in words, if it failed.
    var failureDescription: String? { get }
    /// Resumes the caller: with the body's own error if it failed, else with `failure` if the batch failed,
    /// else with the body's result. Called once, on the writer queue.
    func complete(failure: (any Error)?)
}

/// `@unchecked Sendable` is safe because `outcome`, the only mutable state, is written by `perform` and read by
/// `complete`/`failureDescription`, all of which run on the writer's serial queue; the rest is immutable and
/// Sendable.
final class BatchedWriteRequest<T: Sendable>: GroupCommitRequest, @unchecked Sendable {
    private let body: @Sendable (SQLiteConnection) throws -> T
    private let continuation: CheckedContinuation<T, any Error>
    private var outcome: Result<T, any Error>?

    init(body: @escaping @Sendable (SQLiteConnection) throws -> T, continuation: CheckedContinuation<T, any Error>) {
        self.body = body
        self.continuation = continuation
    }

    func perform(on connection: SQLiteConnection) {
        outcome = Result { try connection.savepoint("spool_batch_item") { try body($0) } }
    }

    var failureDescription: String? {
        guard case .failure(let error) = outcome else { return nil }
        return String(describing: error)
    }

    func complete(failure: (any Error)?) {
        switch (outcome, failure) {
        case (.failure(let own)?, _): continuation.resume(throwing: own)
        case (_, let batchFailure?): continuation.resume(throwing: batchFailure)
        case (.success(let value)?, nil): continuation.resume(returning: value)
        case (nil, nil): preconditionFailure("a batched write completed without having run")
        }
    }
}
