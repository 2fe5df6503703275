import Foundation
import SpoolJSON

/// A webhook's signature headers, read and checked for shape and freshness, ready to test against keys.
struct SignedWebhook {
    let signature: [UInt8]
    let message: [UInt8]

    init(header: (String) -> String?, body: [UInt8], now: Date) throws(FalWebhookVerificationError) {
        func required(_ name: String) throws(FalWebhookVerificationError) -> String {
            guard let value = header(name) else { throw .missingHeader(name) }
            return value
        }
        let requestID = try required(FalWebhookHeader.requestID)
        let userID = try required(FalWebhookHeader.userID)
        let timestamp = try required(FalWebhookHeader.timestamp)
        let signatureText = try required(FalWebhookHeader.signature)

        guard let seconds = Int64(timestamp), !timestamp.hasPrefix("+") else { throw .malformedTimestamp(timestamp) }
        let skew = Int64(now.timeIntervalSince1970.rounded(.down)) - seconds
        guard abs(skew) <= FalWebhookSignature.toleranceSeconds else { throw .timestampOutOfRange(skewSeconds: skew) }
        guard let signature = Hex.bytes(signatureText.trimmingSpaces), signature.count == 64
        else { throw .malformedSignature }

        self.signature = signature
        self.message = FalWebhookSignature.message(
            requestID: requestID, userID: userID, timestamp: timestamp, body: body)
    }

    func isSigned(byAnyOf keys: [FalWebhookKey]) -> Bool {
        keys.contains { $0.isValidSignature(signature, for: message) }
    }
}
