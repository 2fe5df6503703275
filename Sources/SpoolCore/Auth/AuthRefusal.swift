/// Why a request's caller was not let in; the API edge (`APIErrors`) answers it 401 with `message`.
enum AuthRefusal: Error, Sendable, Equatable {
    /// No key, a malformed `Authorization` header, or a key that is unknown or revoked; `message` says which.
    case unauthenticated(String)
}
