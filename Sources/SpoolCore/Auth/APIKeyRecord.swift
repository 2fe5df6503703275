/// A stored API key, without its secret.
package struct APIKeyRecord: Sendable, Equatable {
    package var id: String
    package var team: String
    package var isAdmin: Bool
    package var createdAt: Timestamp
    package var revokedAt: Timestamp?
}
