import SpoolHTTP
import SpoolJSON

/// `GET …/requests/{id}/status/stream`: fal's status objects as server-sent events (`data: <status>`), one
/// now and one on every change or log line, a `:` comment every `keepAliveSeconds`, and the end of the stream
/// after the `COMPLETED` one.
struct FalStatusStream: Sendable {
    let requestID: String
    let withLogs: Bool
    let urls: FalURLs
    let board: FalRequestBoard
    let hub: JobEventHub
    let keepAliveSeconds: Double

    /// The response: 200 `text/event-stream`. The caller has checked that the request exists and may be seen,
    /// so the board follows it.
    func response() -> HTTPResponse {
        HTTPResponse(
            status: .ok,
            headers: ["Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache",
                      "X-Accel-Buffering": "no", "x-fal-request-id": requestID],
            body: .stream { writer in try await run(writer) })
    }

    private func run(_ writer: any HTTPBodyWriter) async throws {
        // Subscribed before the board is read, so that nothing falls in between; stale updates are skipped.
        let feed = JobUpdateFeed(jobID: requestID, hub: hub, keepAliveSeconds: keepAliveSeconds)
        defer { feed.cancel() }
        guard let entry = board.entry(requestID) else { return }
        var job = entry.job
        var logs = entry.logs
        try await writer.write(frame(job, logs: logs))
        if job.status.isTerminal { return }
        for await item in feed.items {
            switch item {
            case .keepAlive:
                try await writer.write(Array(": keep-alive\n\n".utf8))
                continue
            case .update(.transition(let changed, _)), .update(.changed(let changed)):
                guard changed.updatedAt >= job.updatedAt else { continue }
                job = changed
            case .update(.log(_, let line)):
                logs.append(line)
                guard withLogs else { continue }
            }
            try await writer.write(frame(job, logs: logs))
            if job.status.isTerminal { return }
        }
    }

    private func frame(_ job: Job, logs: [JSONValue]) -> [UInt8] {
        let status = FalQueueStatus.object(job, logs: withLogs ? logs : nil, urls: urls)
        return Array("data: ".utf8) + status.serialized() + Array("\n\n".utf8)
    }
}
