/// Why a webhook claiming to come from fal was not accepted.
package enum FalWebhookVerificationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One of the four `X-Fal-Webhook-…` headers is absent.
    case missingHeader(String)
    /// `X-Fal-Webhook-Timestamp` is not a whole number of seconds.
    case malformedTimestamp(String)
    /// The timestamp is more than 300 s from now; `skewSeconds` is now minus the timestamp.
    case timestampOutOfRange(skewSeconds: Int64)
    /// `X-Fal-Webhook-Signature` is not 64 bytes of hex.
    case malformedSignature
    /// No key of the set verifies the signature over these headers and this body.
    case signatureMismatch
    /// The key set could not be fetched or read, and no earlier copy is at hand.
    case keysUnavailable(String)

    package var description: String {
        switch self {
        case .missingHeader(let name): return "webhook header \(name) is missing"
        case .malformedTimestamp(let value): return "webhook timestamp \(value.debugDescription) is not unix seconds"
        case .timestampOutOfRange(let skew): return "webhook timestamp is \(skew) s from now (limit 300 s)"
        case .malformedSignature: return "webhook signature is not 128 hex digits"
        case .signatureMismatch: return "webhook signature does not match any known key"
        case .keysUnavailable(let reason): return "webhook keys unavailable: \(reason)"
        }
    }
}
