import SpoolFal

/// Where jobs live: storing a new one, reading them, and changing one through the state machine.
///
/// Every implementation keeps the same guarantees: a change, its history entry and the webhook delivery it causes
/// are written in one transaction (the outbox); changes are compare-and-set (`expecting:`, `claimedBy:`), so a nil
/// answer means another path got there first; idempotency keys and a team's quotas are checked in the transaction
/// that stores the job.
protocol JobStore: Sendable {
    /// Stores `new` (checking `idempotency` and the team's `limits` in the same transaction) and its first history
    /// entry.
    func insert(_ new: NewJob, idempotency: IdempotencyClaim?, limits: SpoolConfiguration.TeamLimits) async throws
        -> InsertOutcome

    /// Job `id`, nil when there is none.
    func job(_ id: String) async throws -> Job?

    /// Job `id` with its history in order, read together; nil when there is no such job.
    func jobWithHistory(_ id: String) async throws -> (Job, [JobEvent])?

    /// Newest first, one more than `filter.limit` so the caller knows whether a next page exists.
    func jobs(_ filter: JobListFilter) async throws -> [Job]

    /// Jobs that are at fal or being handed to it, to follow after a restart.
    func activeJobs() async throws -> [Job]

    /// Unfinished jobs whose deadline passed before `now`, at most `limit`.
    func overdueJobs(at now: Timestamp, limit: Int) async throws -> [Job]

    /// Applies `mutate` to job `id` under the rules of `JobTransitions.apply`, with its history entry and outbox
    /// row, in one transaction. With `expecting` the job must be in that status; with `claimedBy` it must be in
    /// `submitting` under that owner's lease. Nil when nothing changed.
    func update(
        _ id: String, expecting: JobStatus?, claimedBy owner: String?, at time: Timestamp, note: String?,
        _ mutate: @escaping @Sendable (inout Job) -> Void
    ) async throws -> JobTransitions.Change?

    /// Job `id`'s billing alone (a cheap read for deciding whether an answer brings news), nil for no such job.
    func billing(of id: String) async throws -> JobBilling?

    /// Merges `report` into job `id`'s billing (see `BillingRecorded.merging`) and adds a newly learned fallback
    /// to the note of the job's latest history entry; nil when nothing changed.
    func recordBilling(
        _ report: FalReport, jobID id: String, usdPerUnit: @escaping @Sendable (String) -> Double?
    ) async throws -> BillingRecorded?
}

/// Filters of a job listing; nil means any.
struct JobListFilter: Sendable {
    var team: String?
    var status: JobStatus?
    var model: String?
    /// Only jobs older than the job with this id (the cursor is the last id of the previous page).
    var beforeID: String?
    var limit: Int
}
