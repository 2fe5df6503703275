import Crypto
import Foundation
import SpoolJSON

/// Signs webhook bodies the way fal does, for the emulator and for tests.
///
/// Serve `jwks` at the URL the verifier is configured with, and send `headers(requestID:body:)` with the exact
/// body bytes they were computed over.
public struct FalWebhookSigner: Sendable {
    /// The private key's 32-byte seed (swift-crypto's key types are not `Sendable`; bytes are).
    private let seed: [UInt8]
    /// Sent as `X-Fal-Webhook-User-Id` (fal's account id).
    public let userID: String

    /// A signer with `privateKey` (a fresh random key by default; load a stable one with
    /// `Curve25519.Signing.PrivateKey(rawRepresentation:)` from a 32-byte seed).
    public init(privateKey: Curve25519.Signing.PrivateKey = .init(), userID: String = "spool-sim") {
        self.seed = Array(privateKey.rawRepresentation)
        self.userID = userID
    }

    public var privateKey: Curve25519.Signing.PrivateKey {
        do {
            return try Curve25519.Signing.PrivateKey(rawRepresentation: seed)
        } catch {
            preconditionFailure("a seed taken from a valid key was refused: \(error)")
        }
    }

    public var publicKey: Curve25519.Signing.PublicKey { privateKey.publicKey }

    /// The JWKS document publishing this signer's public key.
    public var jwks: JSONValue { FalJWKS.document(for: [publicKey]) }

    /// The four `X-Fal-Webhook-…` headers for `body`, signed at `timestamp` (whole seconds).
    public func headers(requestID: String, body: [UInt8], timestamp: Date = Date()) -> [(String, String)] {
        let seconds = String(Int64(timestamp.timeIntervalSince1970.rounded(.down)))
        let message = FalWebhookSignature.message(requestID: requestID, userID: userID, timestamp: seconds, body: body)
        let signature: [UInt8]
        do {
            signature = Array(try privateKey.signature(for: message))
        } catch {
            preconditionFailure("Ed25519 signing failed: \(error)")
        }
        return [
            (FalWebhookHeader.requestID, requestID),
            (FalWebhookHeader.userID, userID),
            (FalWebhookHeader.timestamp, seconds),
            (FalWebhookHeader.signature, FalWebhookSignature.hex(signature)),
        ]
    }
}
