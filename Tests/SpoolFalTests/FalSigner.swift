import Crypto
import Foundation
import SpoolJSON
import SpoolSim

/// fal's webhook signing as the emulator does it (`SpoolSim.WebhookSigner`, written apart from the verifier under
/// test), with a fresh key and the calls these tests make.
struct FalSigner: Sendable {
    let emulator: WebhookSigner
    let userID: String

    init(userID: String = "spool-sim") {
        do {
            emulator = try WebhookSigner(seed: nil)
        } catch {
            preconditionFailure("a fresh Ed25519 key was refused: \(error)")
        }
        self.userID = userID
    }

    var publicKey: Curve25519.Signing.PublicKey {
        do {
            return try Curve25519.Signing.PublicKey(rawRepresentation: emulator.publicKey)
        } catch {
            preconditionFailure("the emulator's public key was refused: \(error)")
        }
    }

    /// The JWKS document the emulator publishes for this key.
    var jwks: JSONValue { emulator.jwks }

    /// The four `X-Fal-Webhook-…` headers for `body`, signed at `timestamp` (whole seconds).
    func headers(requestID: String, body: [UInt8], timestamp: Date = Date()) -> [(String, String)] {
        do {
            return try emulator.headers(
                requestID: requestID, userID: userID, timestamp: Int(timestamp.timeIntervalSince1970.rounded(.down)),
                body: body)
        } catch {
            preconditionFailure("Ed25519 signing failed: \(error)")
        }
    }
}
