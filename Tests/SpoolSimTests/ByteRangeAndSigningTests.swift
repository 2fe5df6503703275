import Crypto
import Foundation
import SpoolJSON
import Testing
@testable import SpoolSim

@Suite("Byte ranges, the sample video and webhook signing keys")
struct ByteRangeAndSigningTests {
    @Test("byte ranges: closed, open-ended, suffix, clipped, and refused")
    func ranges() {
        #expect(ByteRange.parse("bytes=0-9", length: 100) == 0...9)
        #expect(ByteRange.parse("bytes=90-", length: 100) == 90...99)
        #expect(ByteRange.parse("bytes=-10", length: 100) == 90...99)
        #expect(ByteRange.parse("bytes=95-200", length: 100) == 95...99)
        #expect(ByteRange.parse("bytes=100-", length: 100) == nil)
        #expect(ByteRange.parse("bytes=5-1", length: 100) == nil)
        #expect(ByteRange.parse("bytes=0-1,4-5", length: 100) == nil)
        #expect(ByteRange.parse("items=0-1", length: 100) == nil)
    }

    @Test("the embedded video decodes to an MP4 that starts with an ftyp box")
    func sampleVideo() {
        let bytes = SampleVideo.bytes
        #expect(bytes.count > 1000)
        #expect(Array(bytes[4..<8]) == Array("ftyp".utf8))
    }

    @Test("a key made from a seed is stable, and its signatures verify with the JWKS x")
    func signing() throws {
        let seed = [UInt8](repeating: 7, count: 32)
        let signer = try WebhookSigner(seed: seed)
        #expect(try WebhookSigner(seed: seed).keyID == signer.keyID)
        let body = Array(#"{"status":"OK"}"#.utf8)
        let headers = Dictionary(uniqueKeysWithValues: try signer.headers(requestID: "r1", userID: "u1", timestamp: 1700000000, body: body))
        let x = try #require(signer.jwks["keys"]?.arrayValue?.first?["x"]?.stringValue)
        let raw = try #require(Base64URL.decode(x))
        let key = try Curve25519.Signing.PublicKey(rawRepresentation: raw)
        let text = "r1\nu1\n1700000000\n" + SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined()
        let signatureHex = try #require(headers["X-Fal-Webhook-Signature"])
        let signature = try #require(Hex.decode(signatureHex))
        #expect(key.isValidSignature(signature, for: Data(text.utf8)))
        #expect(!key.isValidSignature(signature, for: Data((text + "x").utf8)))
    }
}

/// Independent decoders, so that the tests do not verify the emulator with its own encoders.
enum Base64URL {
    static func decode(_ text: String) -> Data? {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        standard = standard.replacingOccurrences(of: "=", with: "")
        while standard.count % 4 != 0 { standard += "=" }
        return Data(base64Encoded: standard)
    }
}

enum Hex {
    static func decode(_ text: String) -> Data? {
        guard text.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return Data(bytes)
    }
}
