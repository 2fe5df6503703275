/// Who is calling: the key's team, and whether it may see every team.
public struct Principal: Sendable, Equatable {
    public var keyID: String
    public var team: String
    public var isAdmin: Bool

    public init(keyID: String, team: String, isAdmin: Bool) {
        self.keyID = keyID
        self.team = team
        self.isAdmin = isAdmin
    }

    /// Whether this caller may see a job of `team`.
    public func canSee(team: String) -> Bool { isAdmin || team == self.team }
}
