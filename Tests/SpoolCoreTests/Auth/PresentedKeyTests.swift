import Testing
@testable import SpoolCore

@Suite("Reading a presented key")
struct PresentedKeyTests {
    @Test("the bearer token is read in any letter case of the scheme, after leading spaces, trimmed of blanks",
          arguments: [
              ("Bearer spool_abc", "spool_abc"), ("bearer spool_abc", "spool_abc"), ("BEARER spool_abc", "spool_abc"),
              ("  Bearer spool_abc", "spool_abc"), ("Bearer \t spool_abc \t", "spool_abc"), ("Bearer   ", ""),
              ("Bearer a b", "a b"),
          ])
    func accepted(header: String, token: String) {
        #expect(Authenticator.bearerToken(header) == token)
    }

    @Test("another scheme, a missing token or a tab for the separator is refused",
          arguments: ["Bearer", "Bearer ", "Basic spool_abc", "Bearerx spool_abc", "Bearer\tspool_abc", "", "   "])
    func refused(header: String) {
        #expect(Authenticator.bearerToken(header) == nil)
    }

    @Test("a key's id is read from a well-formed key only")
    func keyIDs() {
        let id = String(repeating: "A", count: 26)
        #expect(APIKeySecret.keyID(of: "spool_\(id)_secret_with_underscores") == "key_\(id)")
        #expect(APIKeySecret.keyID(of: "spool_\(id)_") == nil)
        #expect(APIKeySecret.keyID(of: "spool_\(id)") == nil)
        #expect(APIKeySecret.keyID(of: "spool_\(id)A_secret") == nil)
        #expect(APIKeySecret.keyID(of: "spoolx\(id)_secret") == nil)
        #expect(APIKeySecret.keyID(of: "") == nil)
        let generated = APIKeySecret.generate()
        #expect(APIKeySecret.keyID(of: generated.key) == generated.id)
    }

    @Test("equal strings compare equal; any difference or another length does not")
    func constantTime() {
        #expect(APIKeySecret.constantTimeEquals("abc", "abc"))
        #expect(!APIKeySecret.constantTimeEquals("abc", "abd"))
        #expect(!APIKeySecret.constantTimeEquals("abc", "abcd"))
        #expect(APIKeySecret.constantTimeEquals("", ""))
    }
}
