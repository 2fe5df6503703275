import Crypto
import Foundation
import SpoolJSON
import SpoolTestSupport
import Testing
@testable import SpoolFal

@Suite("fal webhook signatures")
struct FalWebhookTests {
    let signer = FalSigner(userID: "user-7")
    let body = Array(#"{"request_id":"r-1","status":"OK","payload":{"video":{"url":"https://x/v.mp4"}}}"#.utf8)
    let signedAt = Date(timeIntervalSince1970: 1_800_000_000)

    func verifier(_ signers: FalSigner...) -> FalWebhookVerifier {
        FalWebhookVerifier(publicKeys: signers.map(\.publicKey))
    }

    @Test("JWKS keys load from padded and unpadded base64url; other key types are skipped")
    func jwksParsing() throws {
        let raw = Array(signer.publicKey.rawRepresentation)
        let unpadded = try #require(signer.jwks["keys"]?.arrayValue?.first?["x"]?.stringValue)
        #expect(!unpadded.hasSuffix("="))
        let document: JSONValue = ["keys": [
            ["kty": "RSA", "n": "abc", "e": "AQAB"],
            ["kty": "OKP", "crv": "X25519", "x": .string(unpadded)],
            ["kty": "OKP", "crv": "Ed25519", "x": .string(unpadded)],
            ["kty": "OKP", "crv": "Ed25519", "x": .string(unpadded + "=")],
        ]]
        let keys = try FalJWKS.keys(from: document)
        #expect(keys.map(\.rawRepresentation) == [raw, raw])
        #expect(FalJWKS.base64URLDecoded("-_-_") == [0xFB, 0xFF, 0xBF])
        #expect(throws: FalWebhookVerificationError.self) { try FalJWKS.keys(from: ["keys": []]) }
        #expect(try FalJWKS.keys(from: signer.jwks).map(\.rawRepresentation) == [raw])
    }

    @Test("a correctly signed webhook is accepted, header names in any case")
    func accepted() async throws {
        let headers = signer.headers(requestID: "r-1", body: body, timestamp: signedAt)
        try await verifier(signer).verify(headers: headers, body: body, now: signedAt.addingTimeInterval(299))
        let lowercased = headers.map { ($0.0.lowercased(), $0.1) }
        try await verifier(signer).verify(headers: lowercased, body: body, now: signedAt)
    }

    @Test("any key of the set may have signed")
    func anyKey() async throws {
        let other = FalSigner()
        let headers = signer.headers(requestID: "r-1", body: body, timestamp: signedAt)
        try await verifier(other, signer).verify(headers: headers, body: body, now: signedAt)
    }

    @Test("a changed body, another key or a changed signature is refused")
    func mismatch() async {
        let headers = signer.headers(requestID: "r-1", body: body, timestamp: signedAt)
        await #expect(throws: FalWebhookVerificationError.signatureMismatch) {
            try await verifier(signer).verify(headers: headers, body: body + [32], now: signedAt)
        }
        await #expect(throws: FalWebhookVerificationError.signatureMismatch) {
            try await verifier(FalSigner()).verify(headers: headers, body: body, now: signedAt)
        }
        var tampered = headers
        let signature = tampered[3].1
        tampered[3].1 = (signature.first == "0" ? "1" : "0") + signature.dropFirst()
        await #expect(throws: FalWebhookVerificationError.signatureMismatch) {
            try await verifier(signer).verify(headers: tampered, body: body, now: signedAt)
        }
        var otherRequest = headers
        otherRequest[0].1 = "r-2"
        await #expect(throws: FalWebhookVerificationError.signatureMismatch) {
            try await verifier(signer).verify(headers: otherRequest, body: body, now: signedAt)
        }
    }

    @Test("a timestamp more than 300 s old or ahead is refused")
    func staleAndFuture() async {
        let headers = signer.headers(requestID: "r-1", body: body, timestamp: signedAt)
        await #expect(throws: FalWebhookVerificationError.timestampOutOfRange(skewSeconds: 301)) {
            try await verifier(signer).verify(headers: headers, body: body, now: signedAt.addingTimeInterval(301))
        }
        await #expect(throws: FalWebhookVerificationError.timestampOutOfRange(skewSeconds: -301)) {
            try await verifier(signer).verify(headers: headers, body: body, now: signedAt.addingTimeInterval(-301))
        }
    }

    @Test("missing headers, a malformed timestamp or a non-hex signature are refused")
    func malformed() async {
        let headers = signer.headers(requestID: "r-1", body: body, timestamp: signedAt)
        await #expect(throws: FalWebhookVerificationError.missingHeader(FalWebhookHeader.userID)) {
            try await verifier(signer).verify(headers: headers.filter { $0.0 != FalWebhookHeader.userID },
                                                         body: body, now: signedAt)
        }
        var badTime = headers
        badTime[2].1 = "yesterday"
        await #expect(throws: FalWebhookVerificationError.malformedTimestamp("yesterday")) {
            try await verifier(signer).verify(headers: badTime, body: body, now: signedAt)
        }
        var badSignature = headers
        badSignature[3].1 = "zz" + badSignature[3].1.dropFirst(2)
        await #expect(throws: FalWebhookVerificationError.malformedSignature) {
            try await verifier(signer).verify(headers: badSignature, body: body, now: signedAt)
        }
    }

    @Test("the key set is fetched over HTTP, cached, and fetched again when an unknown key signs")
    func fetchedKeySet() async throws {
        let rotated = FalSigner(userID: "user-7")
        let published = TestJWKS(signer.jwks)
        let server = try TestHTTPServer { _ in
            .respond(status: 200, headers: [("Content-Type", "application/json")], body: published.current)
        }
        defer { server.stop() }
        let client = HTTPClient()
        defer { client.shutdown() }
        let verifier = FalWebhookVerifier(jwksURL: server.baseURL + "/.well-known/jwks.json", httpClient: client,
                                          minimumRefetchInterval: .zero)
        let now = Date()

        for _ in 0..<3 {
            try await verifier.verify(headers: signer.headers(requestID: "r-1", body: body, timestamp: now),
                                      body: body, now: now)
        }
        #expect(server.counters.withLock { $0.requestsReceived } == 1)

        let bothKeys = (signer.jwks["keys"]?.arrayValue ?? []) + (rotated.jwks["keys"]?.arrayValue ?? [])
        published.current = JSONValue.object(["keys": .array(bothKeys)]).serialized()
        try await verifier.verify(headers: rotated.headers(requestID: "r-2", body: body, timestamp: now),
                                  body: body, now: now)
        #expect(server.counters.withLock { $0.requestsReceived } == 2)
    }

    @Test("an unknown key triggers no new fetch within the minimum interval")
    func refetchLimited() async throws {
        let server = try TestHTTPServer { [jwks = signer.jwks] _ in .respond(status: 200, body: jwks.serialized()) }
        defer { server.stop() }
        let client = HTTPClient()
        defer { client.shutdown() }
        let verifier = FalWebhookVerifier(jwksURL: server.baseURL + "/jwks", httpClient: client)
        let stranger = FalSigner()
        let now = Date()

        for _ in 0..<3 {
            await #expect(throws: FalWebhookVerificationError.signatureMismatch) {
                try await verifier.verify(headers: stranger.headers(requestID: "r", body: body, timestamp: now),
                                          body: body, now: now)
            }
        }
        #expect(server.counters.withLock { $0.requestsReceived } == 1)
    }

    @Test("an unreachable key set is reported as unavailable, and not fetched again at once")
    func keysUnavailable() async throws {
        let server = try TestHTTPServer { _ in .respond(status: 503) }
        defer { server.stop() }
        let client = HTTPClient()
        defer { client.shutdown() }
        let verifier = FalWebhookVerifier(jwksURL: server.baseURL + "/jwks", httpClient: client)
        await #expect(throws: FalWebhookVerificationError.keysUnavailable("JWKS answered HTTP 503")) {
            try await verifier.verify(headers: signer.headers(requestID: "r", body: body), body: body)
        }
        await #expect {
            try await verifier.verify(headers: signer.headers(requestID: "r", body: body), body: body)
        } throws: { error in
            guard case .keysUnavailable(let reason) = error as? FalWebhookVerificationError else { return false }
            return reason.contains("less than")
        }
        #expect(server.counters.withLock { $0.requestsReceived } == 1)
    }
}

/// The JWKS body a test server publishes, replaceable mid-test.
///
/// `@unchecked Sendable`: `body` is only read or written while holding `lock`.
final class TestJWKS: @unchecked Sendable {
    private let lock = NSLock()
    private var body: [UInt8]

    init(_ document: JSONValue) { body = document.serialized() }

    var current: [UInt8] {
        get { lock.withLock { body } }
        set { lock.withLock { body = newValue } }
    }
}
