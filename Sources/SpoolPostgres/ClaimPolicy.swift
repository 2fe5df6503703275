/// The caps a claim honours, for the whole cluster: jobs in flight (`submitting`, `in_queue`, `in_progress`) over
/// all teams, and per team.
public struct ClaimPolicy: Sendable, Equatable {
    /// At most this many jobs in flight over all teams (`SPOOL_MAX_INFLIGHT`).
    public var maxInflight: Int
    /// Each team's own cap; a team not listed has `defaultTeamLimit`.
    public var teamLimits: [String: Int]
    /// The cap of every team not in `teamLimits`; nil for none beyond `maxInflight`.
    public var defaultTeamLimit: Int?

    public init(maxInflight: Int, teamLimits: [String: Int] = [:], defaultTeamLimit: Int? = nil) {
        self.maxInflight = maxInflight
        self.teamLimits = teamLimits
        self.defaultTeamLimit = defaultTeamLimit
    }
}

/// A job a claim moved to `submitting`.
public struct ClaimedJob: Sendable, Equatable {
    public let id: String
    public let team: String
    public let priority: Int
    /// The attempt this claim starts (the job's `attempts` after the claim).
    public let attempts: Int
    public let seq: Int64

    public init(id: String, team: String, priority: Int, attempts: Int, seq: Int64) {
        self.id = id
        self.team = team
        self.priority = priority
        self.attempts = attempts
        self.seq = seq
    }
}
