import Foundation
import SpoolFal
import SpoolJSON
import SpoolSim
import Testing
@testable import SpoolCore

@Suite("fal's callbacks instead of polling")
struct FalCallbackTests {
    /// A gateway whose public URL is its own address, so that the emulator calls it back; polling is left at its
    /// webhook-mode default of 60 s, so a job that completes in seconds completed from the callback.
    /// The emulator's signing key, fixed so that the tests can sign as fal does.
    static let emulatorKeySeed = [UInt8](repeating: 7, count: 32)

    static func start() async throws -> TestGateway {
        // The port is free when picked but another test may take it before the gateway binds: try again then.
        var attempt = 0
        while true {
            let port = try FreePort.pick()
            do {
                return try await TestGateway.start(configure: {
                    $0.listen = "127.0.0.1:\(port)"
                    $0.publicURL = "http://127.0.0.1:\(port)"
                    $0.fal.pollIntervalSeconds = nil
                }, simulate: { $0.webhookKeySeed = emulatorKeySeed })
            } catch {
                attempt += 1
                if attempt == 3 { throw error }
            }
        }
    }

    @Test("jobs complete from fal's signed callback without waiting for a poll")
    func completesFromCallback() async throws {
        try await Self.start().stopping { spool in
            #expect(spool.gateway.configuration.effectivePollInterval == 60)
            let key = try await spool.key(team: "marketing")
            let id = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            let job = try await spool.waitUntilTerminal(id, key: key, seconds: 15)
            #expect(job["status"]?.stringValue == "completed")
            #expect(job["result"]?["video"]?["url"]?.stringValue != nil)
            let submit = spool.simulator.requestLog().first { $0.method == "POST" && $0.path.contains("kling-video") }
            #expect(submit?.query?.contains("fal_webhook=") == true)
        }
    }

    @Test("a callback with a wrong token is 404; a forged, tampered or stale signature is 401; none changes the job")
    func forgeries() async throws {
        try await Self.start().stopping { spool in
            let key = try await spool.key(team: "marketing")
            let id = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            let token = try await spool.gateway.store.job(id)?.falWebhookToken
            let body = Array(#"{"request_id":"x","status":"OK","payload":{}}"#.utf8)
            let wrongToken = try await spool.request(.post, "/v1/fal/webhook?job=\(id)&token=nope", body: body)
            #expect(wrongToken.status == 404)

            let path = "/v1/fal/webhook?job=\(id)&token=\(token ?? "")"
            let fal = try WebhookSigner(seed: Self.emulatorKeySeed)
            let forger = try WebhookSigner(seed: nil)
            let now = Int(Date().timeIntervalSince1970)
            let forged = try await spool.request(
                .post, path, body: body, headers: forger.headers(requestID: "x", userID: "fal", timestamp: now, body: body))
            #expect(forged.status == 401)
            let tamperedBody = Array(#"{"request_id":"x","status":"ERROR","payload":{}}"#.utf8)
            let tampered = try await spool.request(
                .post, path, body: tamperedBody, headers: fal.headers(requestID: "x", userID: "fal", timestamp: now, body: body))
            #expect(tampered.status == 401)
            let stale = try await spool.request(
                .post, path, body: body, headers: fal.headers(requestID: "x", userID: "fal", timestamp: now - 3600, body: body))
            #expect(stale.status == 401)
            // The same key, body and a current timestamp pass: the refusals above came from the key, body and time.
            let genuine = try await spool.request(
                .post, path, body: body, headers: fal.headers(requestID: "x", userID: "fal", timestamp: now, body: body))
            #expect(genuine.status == 200)
            let job = try await spool.request(.get, "/v1/jobs/\(id)", key: key).json
            #expect(job["status"]?.stringValue != "failed")
        }
    }
}
