import Crypto
import SpoolJSON

/// The header names of a signed fal webhook.
package enum FalWebhookHeader {
    package static let requestID = "X-Fal-Webhook-Request-Id"
    package static let userID = "X-Fal-Webhook-User-Id"
    /// Unix seconds at signing time.
    package static let timestamp = "X-Fal-Webhook-Timestamp"
    /// Hex Ed25519 signature of `FalWebhookSignature.message`.
    package static let signature = "X-Fal-Webhook-Signature"
}

/// What fal signs: UTF-8 of `request_id \n user_id \n timestamp \n hex(sha256(body))`.
enum FalWebhookSignature {
    /// How far the timestamp may be from now, either way.
    static let toleranceSeconds: Int64 = 300

    static func message(requestID: String, userID: String, timestamp: String, body: [UInt8]) -> [UInt8] {
        let digest = Hex.string(SHA256.hash(data: body))
        return Array("\(requestID)\n\(userID)\n\(timestamp)\n\(digest)".utf8)
    }
}
