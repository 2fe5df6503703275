import SpoolJSON

/// Everything Spool stores about output files, in the domain's terms. `SQLiteJobFileRecords` and
/// `PostgresJobFileRecords` (under `Store/`) hold all SQL about files; `makeJobFileRecords` picks the store's.
protocol JobFileRecords: Sendable {
    /// fal's output of job `jobID` is in: saves it as the job's result and records `files` as pending, in one
    /// transaction. The job keeps its status (`in_queue` or `in_progress`); with no files it moves to `completed` at once.
    /// Nil when the job is no longer in status `expecting` (another path got there first).
    ///
    /// Where replicas share the store, the job's lease passes to `copier` until `leaseUntil` in the same
    /// transaction: the replica that saved the result copies the files, and the lease says so. The replica that
    /// held it (a fal callback can reach another one first) stops renewing it, so that if the copier dies the lease
    /// lapses and the copy is taken over, and nobody else starts a second copy of the same files meanwhile.
    func saveResult(
        jobID: String, expecting: JobStatus, output: JSONValue, files: [JobFile], runStart: Timestamp, note: String,
        copier: String, leaseUntil: Timestamp
    ) async throws -> JobTransitions.Change?

    /// The files of a job, in the order of its result.
    func files(of jobID: String) async throws -> [JobFile]

    /// Writes a file's new state (stored or failed) with its size, digest, key, reason and expiry.
    func settle(_ file: JobFile) async throws

    /// Every file of job `jobID` is settled: the job moves to `completed`, with `files` on it for watchers and
    /// the `job.completed` webhook. `rewrite` may return the result with URLs pointing at Spool's copies.
    func complete(
        jobID: String, note: String, rewrite: @escaping @Sendable (JSONValue, [JobFile]) -> JSONValue?
    ) async throws -> JobTransitions.Change?

    /// Stored files whose retention ended by `time`, at most `limit`.
    func expired(at time: Timestamp, limit: Int) async throws -> [JobFile]

    /// Marks a stored file `expired` (after its bytes were deleted); returns its job as it reads now.
    func markExpired(_ file: JobFile, at time: Timestamp) async throws -> Job?

    /// Bytes held in storage per team.
    func storedBytesByTeam() async throws -> [String: Int64]

    /// The shared secret `name`: the stored one, or `candidate` stored now when there is none yet (the first
    /// replica to ask wins; every other one reads the winner's).
    func sharedSecret(named name: String, candidate: String) async throws -> String
}
