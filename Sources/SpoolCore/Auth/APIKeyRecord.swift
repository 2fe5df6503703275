/// A stored API key, without its secret.
public struct APIKeyRecord: Sendable, Equatable {
    public var id: String
    public var team: String
    public var isAdmin: Bool
    public var createdAt: Timestamp
    public var revokedAt: Timestamp?
}
