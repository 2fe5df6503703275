import SpoolFal
import SpoolJSON
import Testing
@testable import SpoolCore

@Suite("Jobs end to end: async, sync and SSE against the fal emulator")
struct JobModesTests {
    @Test("async: 202 with Location, then polling sees every transition up to completed with the emulator's video")
    func asyncMode() async throws {
        try await withGateway { spool in
            let key = try await spool.key(team: "marketing")

            let submitted = try await spool.request(.post, "/v1/jobs", key: key, json: submission(extra: ["metadata": ["campaign": "spring"]]))
            #expect(submitted.status == 202)
            let id = try #require(submitted.json["id"]?.stringValue)
            #expect(id.hasPrefix("job_"))
            #expect(submitted.headers["Location"] == "/v1/jobs/\(id)")
            #expect(submitted.json["status"]?.stringValue == "queued")
            #expect(submitted.json["team"]?.stringValue == "marketing")
            #expect(submitted.json["metadata"] == ["campaign": "spring"])
            #expect(submitted.json["cost"]?["estimated_usd"]?.doubleValue == 1.12)
            #expect(submitted.json["fal_endpoint"]?.stringValue == "fal-ai/kling-video/o3/pro/reference-to-video")

            let done = try await spool.waitUntilTerminal(id, key: key)
            #expect(done["status"]?.stringValue == "completed")
            let url = try #require(done["result"]?["video"]?["url"]?.stringValue)
            #expect(url.hasPrefix(spool.simulator.baseURL))
            #expect(done["fal_request_id"]?.stringValue?.isEmpty == false)
            #expect(done["started_at"]?.stringValue != nil && done["completed_at"]?.stringValue != nil)
            let statuses = done["history"]?.arrayValue?.compactMap { $0["status"]?.stringValue }
            #expect(isLifecycle(statuses ?? []), "\(done["history"] ?? .null)")

            let result = try await spool.request(.get, "/v1/jobs/\(id)/result", key: key)
            #expect(result.status == 200)
            #expect(result.json["video"]?["content_type"]?.stringValue == "video/mp4")
            let video = try await spool.client.execute(HTTPClientRequest(url: url))
            #expect(video.status == 200)
            #expect(video.body.count > 100 && Array(video.body[4..<8]) == Array("ftyp".utf8))
        }
    }

    @Test("sync: Prefer: wait holds the answer until the job is done, 200 with the result")
    func syncMode() async throws {
        try await withGateway { spool in
            let key = try await spool.key(team: "marketing")
            let answer = try await spool.request(.post, "/v1/jobs", key: key, json: submission(), headers: [("Prefer", "wait=30")])
            #expect(answer.status == 200)
            #expect(answer.json["status"]?.stringValue == "completed")
            #expect(answer.json["result"]?["video"]?["url"]?.stringValue != nil)
        }
    }

    @Test("sync: a wait that runs out answers 202 with the job as it stands, and the job goes on")
    func syncTimeout() async throws {
        try await withGateway(simulate: { $0.runSeconds = 3 }) { spool in
            let key = try await spool.key(team: "marketing")
            let answer = try await spool.request(.post, "/v1/jobs", key: key, json: submission(), headers: [("Prefer", "wait=1")])
            #expect(answer.status == 202)
            let id = try #require(answer.json["id"]?.stringValue)
            #expect(["queued", "submitting", "in_queue", "in_progress"].contains(answer.json["status"]?.stringValue ?? ""))
            let done = try await spool.waitUntilTerminal(id, key: key)
            #expect(done["status"]?.stringValue == "completed")
        }
    }

    @Test("SSE: Accept: text/event-stream streams each transition with increasing ids and closes after completed")
    func sseMode() async throws {
        try await withGateway { spool in
            let key = try await spool.key(team: "marketing")
            let response = try await spool.client.stream(HTTPClientRequest(
                method: .post, url: spool.baseURL + "/v1/jobs",
                headers: [("Authorization", "Bearer \(key)"), ("Accept", "text/event-stream")],
                body: submission().serialized()))
            #expect(response.status == 200)
            #expect(response.headers["Content-Type"]?.hasPrefix("text/event-stream") == true)
            var text = ""
            for try await chunk in response.body { text += String(decoding: chunk, as: UTF8.self) }
            let events = ServerSentEvents.parse(text)
            let statuses = events.filter { $0.id != nil }.compactMap { try? JSONValue(parsing: $0.data)["status"]?.stringValue }
            #expect(isLifecycle(statuses), "\(text)")
            let ids = events.compactMap(\.id).compactMap { Int($0) }
            #expect(ids == Array(1...statuses.count))
        }
    }

    @Test("events: a client that connects after the end gets the whole history; Last-Event-ID resumes after it")
    func eventsReplay() async throws {
        try await withGateway { spool in
            let key = try await spool.key(team: "marketing")
            let id = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            _ = try await spool.waitUntilTerminal(id, key: key)

            let history = try await spool.request(.get, "/v1/jobs/\(id)", key: key).json["history"]?.arrayValue ?? []
            let all = ServerSentEvents.parse(try await spool.request(.get, "/v1/jobs/\(id)/events", key: key).text)
            #expect(all.compactMap(\.id) == (1...history.count).map(String.init))
            let resumed = ServerSentEvents.parse(
                try await spool.request(.get, "/v1/jobs/\(id)/events", key: key, headers: [("Last-Event-ID", "3")]).text)
            #expect(resumed.compactMap(\.id) == (4...history.count).map(String.init))
            #expect(try JSONValue(parsing: resumed.last!.data)["status"]?.stringValue == "completed")
        }
    }

    @Test("events: a long wait at fal sends keep-alive comments while the stream is open")
    func keepAlive() async throws {
        try await withGateway(simulate: { $0.runSeconds = 2 }) { spool in
            let key = try await spool.key(team: "marketing")
            let id = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            let text = try await spool.request(.get, "/v1/jobs/\(id)/events", key: key).text
            #expect(text.contains(": keep-alive"))
            #expect(ServerSentEvents.parse(text).last.map { try? JSONValue(parsing: $0.data)["status"]?.stringValue } == "completed")
        }
    }
}

/// Whether `statuses` is a job's whole successful life. `in_progress` may be missing: a poll can find a short run
/// already COMPLETED without ever seeing it IN_PROGRESS.
func isLifecycle(_ statuses: [String]) -> Bool {
    statuses == ["queued", "submitting", "in_queue", "in_progress", "completed"]
        || statuses == ["queued", "submitting", "in_queue", "completed"]
}

/// A small parser of `text/event-stream` bodies for tests.
enum ServerSentEvents {
    struct Event {
        var id: String?
        var event: String?
        var data: String
    }

    static func parse(_ text: String) -> [Event] {
        text.components(separatedBy: "\n\n").compactMap { block in
            var event = Event(id: nil, event: nil, data: "")
            var sawData = false
            for line in block.split(separator: "\n", omittingEmptySubsequences: true) {
                if line.hasPrefix(":") { continue }
                if line.hasPrefix("id: ") { event.id = String(line.dropFirst(4)) }
                if line.hasPrefix("event: ") { event.event = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") {
                    event.data += (sawData ? "\n" : "") + line.dropFirst(6)
                    sawData = true
                }
            }
            return sawData ? event : nil
        }
    }
}
