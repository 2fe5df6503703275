import SpoolJSON
import SpoolTestSupport
import Testing
@testable import SpoolSim

@Suite("A request's life over HTTP: submit, status, result, video")
struct SimulatorLifecycleTests {
    @Test("submit answers IN_QUEUE with a request id and URLs built from the app part of the endpoint")
    func submitAnswer() async throws {
        try await SimFixture.with { simulator in
            let answer = try await SimFixture.submit(simulator)
            let id = try #require(answer["request_id"]?.stringValue)
            #expect(id.count == 36 && id.split(separator: "-").count == 5)
            #expect(answer["status"] == "IN_QUEUE")
            #expect(answer["queue_position"] == 0)
            #expect(answer["gateway_request_id"]?.stringValue == id)
            let stem = "\(simulator.baseURL)/fal-ai/kling-video/requests/\(id)"
            #expect(answer["response_url"]?.stringValue == stem)
            #expect(answer["status_url"]?.stringValue == stem + "/status")
            #expect(answer["cancel_url"]?.stringValue == stem + "/cancel")
        }
    }

    @Test("status goes IN_QUEUE (202) → IN_PROGRESS with logs (202) → COMPLETED with metrics (200)")
    func statusProgression() async throws {
        // Seconds-long phases, so that a loaded machine cannot skip one between two polls.
        try await SimFixture.with({ $0.queueSeconds = 4; $0.runSeconds = 3 }) { simulator in
            let submitted = try await SimFixture.submit(simulator)
            let queued = try await SimFixture.status(submitted)
            #expect(queued.status == 202)
            #expect(queued.json["status"] == "IN_QUEUE")
            #expect(queued.json["queue_position"] == 0)
            let running = try await SimFixture.waitFor("IN_PROGRESS", submitted)
            #expect(running.status == 202)
            let log = try #require(running.json["logs"]?.arrayValue?.first)
            #expect(log["level"] == "INFO" && log["source"] == "user")
            #expect(log["message"]?.stringValue?.isEmpty == false)
            #expect(log["timestamp"]?.stringValue?.hasSuffix("Z") == true)
            let done = try await SimFixture.waitFor("COMPLETED", submitted)
            #expect(done.status == 200)
            #expect((done.json["metrics"]?["inference_time"]?.doubleValue ?? 0) > 0)
            #expect(done.json["error"] == nil)
            let quiet = try await SimFixture.status(submitted, logs: false)
            #expect(quiet.json.objectValue?.keys.contains("logs") == true)
            #expect(quiet.json["logs"] == .null)
            let asWord = try await FalHTTP.json("GET", submitted["status_url"]!.stringValue! + "?logs=true")
            #expect(asWord.json["logs"]?.arrayValue?.isEmpty == false)
        }
    }

    @Test("result is a 400 with detail before completion, then the video output; the MP4 downloads, with ranges")
    func resultAndVideo() async throws {
        try await SimFixture.with({ $0.queueSeconds = 2 }) { simulator in
            let submitted = try await SimFixture.submit(simulator)
            let early = try await FalHTTP.json("GET", submitted["response_url"]!.stringValue!)
            #expect(early.status == 400)
            #expect(early.json["detail"] == "Request is still in progress")
            _ = try await SimFixture.waitFor("COMPLETED", submitted)
            let result = try await FalHTTP.json("GET", submitted["response_url"]!.stringValue!)
            #expect(result.status == 200)
            let video = try #require(result.json["video"])
            #expect(video["content_type"] == "video/mp4")
            #expect(video["file_name"] == "output.mp4")
            let url = try #require(video["url"]?.stringValue)
            #expect(url == "\(simulator.baseURL)/files/\(submitted["request_id"]!.stringValue!)/output.mp4")
            let file = try await RawClient.request("GET", url)
            #expect(file.status == 200)
            #expect(file.header("Content-Type") == "video/mp4")
            #expect(file.body.count == Int(video["file_size"]?.integerValue ?? -1))
            #expect(Array(file.body[4..<8]) == Array("ftyp".utf8))
            let part = try await RawClient.request("GET", url, headers: [("Range", "bytes=4-7")])
            #expect(part.status == 206)
            #expect(part.text == "ftyp")
            #expect(part.header("Content-Range") == "bytes 4-7/\(file.body.count)")
            let beyond = try await RawClient.request("GET", url, headers: [("Range", "bytes=999999-")])
            #expect(beyond.status == 416)
        }
    }

    @Test("with concurrency 1 the second request waits at position 1, then 0, and runs after the first")
    func concurrencyLimit() async throws {
        // The first waits 3 s before it may start: ample time, even on a loaded machine, to see the second behind it.
        try await SimFixture.with({ $0.concurrency = 1; $0.queueSeconds = 3; $0.runSeconds = 3 }) { simulator in
            let first = try await SimFixture.submit(simulator)
            let second = try await SimFixture.submit(simulator)
            #expect(second["queue_position"] == 1)
            let waiting = try await SimFixture.status(second)
            #expect(waiting.json["queue_position"] == 1)
            _ = try await SimFixture.waitFor("IN_PROGRESS", first)
            let next = try await SimFixture.status(second)
            #expect(next.json["status"] == "IN_QUEUE")
            #expect(next.json["queue_position"] == 0)
            _ = try await SimFixture.waitFor("COMPLETED", first)
            _ = try await SimFixture.waitFor("COMPLETED", second)
        }
    }

    @Test("unknown request ids, and known ids under another app, are 404 with fal's detail")
    func unknownRequests() async throws {
        try await SimFixture.with { simulator in
            let missing = try await FalHTTP.json("GET", "\(simulator.baseURL)/fal-ai/kling-video/requests/nope/status")
            #expect(missing.status == 404)
            #expect(missing.json == ["detail": "Request not found"])
            let submitted = try await SimFixture.submit(simulator)
            let id = submitted["request_id"]!.stringValue!
            let otherApp = try await FalHTTP.json("GET", "\(simulator.baseURL)/fal-ai/flux/requests/\(id)")
            #expect(otherApp.status == 404)
        }
    }

    @Test("with acceptAnyEndpoint, any endpoint of 2 to 6 segments can be submitted to; its URLs use its first two segments")
    func endpointDepths() async throws {
        try await SimFixture.with({ $0.acceptAnyEndpoint = true }) { simulator in
            for endpoint in ["fal-ai/flux", "fal-ai/flux/dev", "a/b/c/d/e/f"] {
                let answer = try await SimFixture.submit(simulator, endpoint: endpoint, input: ["seed": 1])
                let app = endpoint.split(separator: "/").prefix(2).joined(separator: "/")
                #expect(answer["response_url"]?.stringValue?.hasPrefix("\(simulator.baseURL)/\(app)/requests/") == true)
            }
        }
    }
}
