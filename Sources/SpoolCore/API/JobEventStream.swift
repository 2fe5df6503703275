import SpoolHTTP
import SpoolJSON

/// A job's transitions as server-sent events: the history first (after `Last-Event-ID` when given), then live
/// updates, a comment line every `keepAliveSeconds`, and the end of the stream after the terminal event.
///
/// Each transition is `id: <sequence>` / `event: status` / `data: <job object>`; a replayed transition's job
/// object carries that transition's status and the history up to it. Queue-position changes come as
/// `event: status` without an id (they are not transitions), fal's log lines as `event: log`. A replayed
/// transition's job object is the job as it was then (`Job.asOf`), not the job as it is now.
struct JobEventStream: Sendable {
    let jobID: String
    let lastEventID: Int
    let store: any GatewayStore
    let hub: JobEventHub
    let keepAliveSeconds: Double

    /// The response: 200 `text/event-stream`. The caller has checked that the job exists and may be seen.
    func response() -> HTTPResponse {
        HTTPResponse(
            status: .ok,
            headers: ["Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache",
                      "X-Accel-Buffering": "no"],
            body: .stream { writer in try await run(writer) })
    }

    private func run(_ writer: any HTTPBodyWriter) async throws {
        // Subscribed before anything is read, so that nothing falls in between; duplicates are skipped by id.
        let feed = JobUpdateFeed(jobID: jobID, hub: hub, keepAliveSeconds: keepAliveSeconds)
        defer { feed.cancel() }

        let jobID = self.jobID
        let stored = try await store.jobWithHistory(jobID)
        guard let (job, history) = stored else { return }
        var lastSent = lastEventID
        for (index, event) in history.enumerated() where event.sequence > lastEventID {
            let snapshot = job.asOf(index, in: history)
            try await writer.write(Self.frame(id: event.sequence, event: "status",
                                              data: snapshot.json(history: Array(history[...index]))))
            lastSent = event.sequence
        }
        if job.status.isTerminal { return }

        for await item in feed.items {
            switch item {
            case .keepAlive:
                try await writer.write(Array(": keep-alive\n\n".utf8))
            case .update(.transition(let job, let event)):
                guard event.sequence > lastSent else { continue }
                try await writer.write(Self.frame(id: event.sequence, event: "status", data: job.json()))
                lastSent = event.sequence
                if job.status.isTerminal { return }
            case .update(.changed(let job)):
                try await writer.write(Self.frame(id: nil, event: "status", data: job.json()))
            case .update(.log(_, let line)):
                try await writer.write(Self.frame(id: nil, event: "log", data: line))
            }
        }
    }

    /// One event in the text/event-stream format.
    static func frame(id: Int?, event: String, data: JSONValue) -> [UInt8] {
        var text = ""
        if let id { text += "id: \(id)\n" }
        text += "event: \(event)\ndata: "
        var bytes = Array(text.utf8)
        data.write(to: &bytes)
        bytes.append(contentsOf: "\n\n".utf8)
        return bytes
    }
}
