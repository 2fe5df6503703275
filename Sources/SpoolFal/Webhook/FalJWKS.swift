import Crypto
import Foundation
import SpoolJSON

/// fal's webhook key set: a JWKS whose Ed25519 keys are `{"kty": "OKP", "crv": "Ed25519", "x": <base64url>}`.
enum FalJWKS {
    /// The Ed25519 keys of a JWKS document; other key types are skipped. Throws when none is usable.
    static func keys(from json: JSONValue) throws(FalWebhookVerificationError) -> [FalWebhookKey] {
        guard let entries = json["keys"]?.arrayValue else { throw .keysUnavailable("JWKS has no \"keys\" array") }
        let keys = entries.compactMap { entry -> FalWebhookKey? in
            guard entry["kty"]?.stringValue == "OKP", entry["crv"]?.stringValue == "Ed25519",
                let x = entry["x"]?.stringValue, let raw = base64URLDecoded(x)
            else { return nil }
            return FalWebhookKey(rawRepresentation: raw)
        }
        guard !keys.isEmpty else { throw .keysUnavailable("JWKS has no usable Ed25519 key") }
        return keys
    }

    /// Decodes base64url (RFC 4648 §5) with or without `=` padding; also accepts the standard alphabet.
    static func base64URLDecoded(_ text: String) -> [UInt8]? {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.hasSuffix("=") { standard.removeLast() }
        guard standard.count % 4 != 1 else { return nil }
        standard += String(repeating: "=", count: (4 - standard.count % 4) % 4)
        return Data(base64Encoded: standard).map(Array.init)
    }
}

/// An Ed25519 public key kept as its 32 raw bytes (swift-crypto's key type is not `Sendable`).
struct FalWebhookKey: Sendable, Equatable {
    let rawRepresentation: [UInt8]

    /// Nil unless `rawRepresentation` is a valid Ed25519 public key.
    init?(rawRepresentation: [UInt8]) {
        guard rawRepresentation.count == 32,
            (try? Curve25519.Signing.PublicKey(rawRepresentation: rawRepresentation)) != nil
        else { return nil }
        self.rawRepresentation = rawRepresentation
    }

    func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: rawRepresentation) else { return false }
        return key.isValidSignature(signature, for: message)
    }
}
