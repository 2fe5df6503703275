/// Who is calling: the key's team, and whether it may see every team.
package struct Principal: Sendable, Equatable {
    package var keyID: String
    package var team: String
    package var isAdmin: Bool

    package init(keyID: String, team: String, isAdmin: Bool) {
        self.keyID = keyID
        self.team = team
        self.isAdmin = isAdmin
    }

    /// Whether this caller may see a job of `team`.
    package func canSee(team: String) -> Bool { isAdmin || team == self.team }
}
