/// Claims of queued jobs for submission to fal, and the leases that keep them.
///
/// A claim moves a job to `submitting` under an owner's lease (counting the attempt and recording the transition);
/// the owner renews the lease while its submit is in flight, and any process takes back a claim whose lease ran
/// out. Claims take the highest priority first, then the team with the fewest jobs in flight, then the oldest
/// job, and never pass the global or a team's in-flight cap.
protocol JobClaimStore: Sendable {
    /// Whether a claim could succeed: a job waits and a slot is free. A cheap read, so that a full pipeline does
    /// not take the writer for nothing.
    func mightClaim(maxInflight: Int) async throws -> Bool

    /// Claims up to `limit` jobs for `owner`, leased for `leaseSeconds`, and returns their changes in claim order.
    /// `turns` is the dispatcher's memory of when each team was last served (a tie-break of the fair share); the
    /// answer's `turns` is that memory after these claims.
    func claim(
        limit: Int, at now: Timestamp, owner: String, leaseSeconds: Double, rules: ClaimRules, turns: [String: Int64]
    ) async throws -> (changes: [JobTransitions.Change], turns: [String: Int64])

    /// The earliest time a queued job becomes ready, for the dispatcher's timer; nil when nothing waits.
    func nextReadyTime() async throws -> Timestamp?

    /// Jobs stuck in `submitting` with a lease that ran out, and — when `exceptOwner` is given — every job in
    /// `submitting` claimed by another owner (a restarted gateway takes back what its predecessor held).
    func lapsedClaims(at now: Timestamp, exceptOwner: String?) async throws -> [JobClaim]

    /// Puts the job of `claim` back in `queued` with `note`, if the claim still stands exactly as it was read.
    func requeue(_ claim: JobClaim, at time: Timestamp, note: String) async throws -> JobTransitions.Change?

    /// Extends `owner`'s lease on job `id` to `until`; false when the claim is no longer `owner`'s.
    func renewLease(_ id: String, owner: String, until: Timestamp) async throws -> Bool

    /// Jobs at fal (with a request id) that `owner` should follow: those no live process follows — with no lease,
    /// or one that ran out before `now` — leased to `owner` until `until`. Where one process owns the store, every
    /// job at fal, since no other process can be following it.
    func takeOverFollowing(at now: Timestamp, owner: String, until: Timestamp) async throws -> [Job]

    /// Extends `owner`'s leases on `jobIDs` to `until`: the jobs at fal its tracker follows now and those whose files
    /// it is copying. A job leased to `owner` that it no longer works on (a lost hand-off, a copy that ended on an
    /// error) is not renewed: its lease runs out and it is taken over like any other job whose process is gone, so
    /// the lease always stands for work that is going on.
    func renewFollowing(_ jobIDs: [String], owner: String, until: Timestamp) async throws

    /// Gives up `owner`'s leases on the jobs at fal it follows (a process stopping), so that others take them over
    /// at once instead of when the leases end.
    func releaseFollowing(owner: String) async throws
}

/// The caps a claim honours: jobs in flight over all teams, and each team's own cap.
struct ClaimRules: Sendable {
    var maxInflight: Int
    var teams: SpoolConfiguration.Teams

    /// Team `team`'s own in-flight cap, if it has one.
    func teamLimit(_ team: String) -> Int? { teams.limits(for: team).maxInflight }
}

/// A claim as stored: who holds it and until when.
struct JobClaim: Sendable, Equatable {
    var jobID: String
    var owner: String?
    var expiresAt: Int64?
}
