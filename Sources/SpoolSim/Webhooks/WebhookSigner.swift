import Crypto
import Foundation
import SpoolJSON

/// Signs webhooks the way fal does, with the emulator's own Ed25519 key, and publishes that key as a JWKS.
///
/// Signed text: UTF-8 of `request_id + "\n" + user_id + "\n" + timestamp + "\n" + hex(sha256(body))`; the
/// signature goes out as lowercase hex in `X-Fal-Webhook-Signature`. Written apart from SpoolFal's verifier, so that
/// the tests that sign with it check the verifier against a second reading of fal's rules.
package struct WebhookSigner: Sendable {
    /// The private key's raw 32 bytes: swift-crypto's key type is not `Sendable`, so it is rebuilt when needed.
    private let seed: [UInt8]
    /// The raw 32-byte public key.
    package let publicKey: [UInt8]
    /// The key's id in the JWKS: the first 16 hex digits of the SHA-256 of the raw public key.
    package let keyID: String

    /// A signer whose key comes from a 32-byte `seed`, or a fresh key when there is none.
    package init(seed: [UInt8]?) throws {
        let key = try seed.map { try Curve25519.Signing.PrivateKey(rawRepresentation: $0) } ?? Curve25519.Signing.PrivateKey()
        self.seed = Array(key.rawRepresentation)
        publicKey = Array(key.publicKey.rawRepresentation)
        keyID = String(Hex.string(SHA256.hash(data: publicKey)).prefix(16))
    }

    /// `{"keys": [{"kty": "OKP", "crv": "Ed25519", "x": <base64url>, "kid", "use": "sig", "alg": "EdDSA"}]}`.
    package var jwks: JSONValue {
        let x = WebhookSigner.base64URL(publicKey)
        return [
            "keys": [[
                "kty": "OKP", "crv": "Ed25519", "x": .string(x), "kid": .string(keyID), "use": "sig",
                "alg": "EdDSA",
            ]],
        ]
    }

    /// The four `X-Fal-Webhook-*` headers for one delivery attempt of `body`.
    package func headers(requestID: String, userID: String, timestamp: Int, body: [UInt8]) throws -> [(String, String)] {
        let text = "\(requestID)\n\(userID)\n\(timestamp)\n\(Hex.string(SHA256.hash(data: body)))"
        let signature = try Curve25519.Signing.PrivateKey(rawRepresentation: seed).signature(for: Data(text.utf8))
        return [
            ("X-Fal-Webhook-Request-Id", requestID), ("X-Fal-Webhook-User-Id", userID),
            ("X-Fal-Webhook-Timestamp", String(timestamp)), ("X-Fal-Webhook-Signature", Hex.string(signature)),
        ]
    }

    /// Base64url without padding (RFC 7515 §2).
    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
