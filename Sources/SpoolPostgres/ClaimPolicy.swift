/// The caps a claim honours, for the whole cluster: jobs in flight (`submitting`, `in_queue`, `in_progress`) over
/// all teams, and per team.
package struct ClaimPolicy: Sendable, Equatable {
    /// At most this many jobs in flight over all teams (`SPOOL_MAX_INFLIGHT`).
    package var maxInflight: Int
    /// Each team's own cap; a team not listed has `defaultTeamLimit`.
    package var teamLimits: [String: Int]
    /// The cap of every team not in `teamLimits`; nil for none beyond `maxInflight`.
    package var defaultTeamLimit: Int?

    package init(maxInflight: Int, teamLimits: [String: Int] = [:], defaultTeamLimit: Int? = nil) {
        self.maxInflight = maxInflight
        self.teamLimits = teamLimits
        self.defaultTeamLimit = defaultTeamLimit
    }
}

/// A job a claim moved to `submitting`.
package struct ClaimedJob: Sendable, Equatable {
    package let id: String
    package let team: String
    package let priority: Int
    /// The attempt this claim starts (the job's `attempts` after the claim).
    package let attempts: Int
    package let seq: Int64

    package init(id: String, team: String, priority: Int, attempts: Int, seq: Int64) {
        self.id = id
        self.team = team
        self.priority = priority
        self.attempts = attempts
        self.seq = seq
    }
}
