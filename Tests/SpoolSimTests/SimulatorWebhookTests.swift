import Crypto
import Foundation
import SpoolJSON
import SpoolTestSupport
import Testing
@testable import SpoolSim

@Suite("fal webhooks: delivery, signature, retries")
struct SimulatorWebhookTests {
    /// Where the emulator is told to deliver: the receiver's `/hook`.
    private func hookURL(_ receiver: TestHTTPServer) -> String { receiver.baseURL + "/hook" }

    private func query(_ receiver: TestHTTPServer) -> String {
        "?fal_webhook=" + hookURL(receiver).addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
    }

    /// The `webhook` member of the first request in `/_sim/state`.
    private func firstWebhookState(_ simulator: FalSimulator) async -> JSONValue? {
        let state = try? await RawClient.request("GET", simulator.baseURL + "/_sim/state").json
        return state?["requests"]?.arrayValue?.first?["webhook"]
    }

    /// Checks the signature headers of `delivery` against the emulator's published JWKS, with swift-crypto.
    private func verify(_ delivery: TestRequest, simulator: FalSimulator) async throws -> Bool {
        let jwks = try await RawClient.request("GET", simulator.jwksURL).json
        let key = try #require(jwks["keys"]?.arrayValue?.first)
        #expect(key["kty"] == "OKP" && key["crv"] == "Ed25519")
        let x = try #require(key["x"]?.stringValue)
        let raw = try #require(Base64URL.decode(x))
        let publicKey = try Curve25519.Signing.PublicKey(rawRepresentation: raw)
        let requestID = try #require(delivery.header("x-fal-webhook-request-id"))
        let userID = try #require(delivery.header("x-fal-webhook-user-id"))
        let timestamp = try #require(delivery.header("x-fal-webhook-timestamp"))
        #expect(abs((Double(timestamp) ?? 0) - Date().timeIntervalSince1970) < 300)
        let bodyHash = SHA256.hash(data: delivery.body).map { String(format: "%02x", $0) }.joined()
        let signed = Data("\(requestID)\n\(userID)\n\(timestamp)\n\(bodyHash)".utf8)
        let signatureHex = try #require(delivery.header("x-fal-webhook-signature"))
        let signature = try #require(Hex.decode(signatureHex))
        return publicKey.isValidSignature(signature, for: signed)
    }

    @Test("a finished request POSTs an OK webhook whose Ed25519 signature verifies with the JWKS, retried after a 500")
    func deliveredAndRetried() async throws {
        let receiver = try TestHTTPServer(answering: [500])
        defer { receiver.stop() }
        try await SimFixture.with { simulator in
            let submitted = try await SimFixture.submit(simulator, query: query(receiver))
            try await eventually("a retry follows the 500") { receiver.requests.count >= 2 }
            let delivery = try #require(receiver.requests.last)
            let body = try JSONValue(parsing: delivery.body)
            #expect(body["request_id"] == submitted["request_id"])
            #expect(body["gateway_request_id"] == submitted["request_id"])
            #expect(body["status"] == "OK")
            #expect(body["payload"]?["video"]?["content_type"] == "video/mp4")
            #expect(delivery.target == "/hook")
            #expect(delivery.header("x-fal-webhook-request-id") == submitted["request_id"]?.stringValue)
            #expect(try await verify(delivery, simulator: simulator))
            #expect(receiver.requests[0].body == delivery.body, "the retry carries the same body")
            try await eventually("the emulator records the delivery") {
                await firstWebhookState(simulator)?["delivered"] == true
            }
            let webhook = await firstWebhookState(simulator)
            #expect(webhook?["url"]?.stringValue == hookURL(receiver))
            #expect(webhook?["attempts"] == 2)
        }
    }

    @Test("a failed run sends an ERROR webhook with fal's error text and the model's body as payload")
    func failedRunWebhook() async throws {
        let receiver = try TestHTTPServer(answering: [])
        defer { receiver.stop() }
        try await SimFixture.with({ $0.runErrorRate = 1 }) { simulator in
            _ = try await SimFixture.submit(simulator, query: query(receiver))
            try await eventually("the webhook arrives") { !receiver.requests.isEmpty }
            let body = try JSONValue(parsing: try #require(receiver.requests.first).body)
            #expect(body["status"] == "ERROR")
            #expect(body["error"]?.stringValue?.hasPrefix("Invalid status code: ") == true)
            #expect(body["payload"]?["detail"] != nil)
        }
    }

    @Test("a receiver that keeps failing gets one attempt plus one per retry-schedule entry")
    func retriesAreBounded() async throws {
        let receiver = try TestHTTPServer(answering: [500, 502, 503, 500, 500])
        defer { receiver.stop() }
        try await SimFixture.with({ $0.webhookRetrySchedule = [0.05, 0.05] }) { simulator in
            _ = try await SimFixture.submit(simulator, query: query(receiver))
            try await eventually("three attempts arrive") { receiver.requests.count == 3 }
            try await eventually("the emulator counts three attempts") {
                await firstWebhookState(simulator)?["attempts"] == 3
            }
            #expect(await firstWebhookState(simulator)?["delivered"] == false)
            #expect(receiver.requests.count == 3)
        }
    }
}
