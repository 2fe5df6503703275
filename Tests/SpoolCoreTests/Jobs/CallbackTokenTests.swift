import Testing
@testable import SpoolCore

@Suite("Random tokens")
struct CallbackTokenTests {
    private static let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    @Test("a token holds exactly the bytes asked for, whether or not they fill whole eight-byte draws",
          arguments: [1, 5, 8, 9, 24, 31, 32])
    func length(bytes: Int) {
        let token = Identifier.randomToken(bytes: bytes)
        #expect(token.count == (bytes * 4 + 2) / 3)
        #expect(token.allSatisfy(Self.alphabet.contains))
    }

    @Test("tokens differ from one call to the next")
    func distinct() {
        let tokens = (0..<1000).map { _ in Identifier.randomToken(bytes: 24) }
        #expect(Set(tokens).count == tokens.count)
    }
}
