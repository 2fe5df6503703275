import SpoolHTTP
import SpoolJSON

/// `GET /{owner}/{app}/requests/{id}/status/stream`: the status as server-sent events.
///
/// Each change of the status document (state, queue position, and with `?logs=1` new log lines) is sent as
/// `data: <status json>`; after `keepAliveInterval` seconds without one a `: keep-alive` comment is sent; the
/// stream ends after the `COMPLETED` event.
extension SimContext {
    /// How often the stream looks at the queue for changes.
    static let streamPollInterval: Duration = .milliseconds(50)

    func statusStream(_ request: HTTPRequest) -> HTTPResponse {
        recorder.record(request)
        if let failure = authorizationFailure(request) { return failure }
        guard let first = lookUp(request) else { return SimContext.answer(FalDocuments.requestNotFound, .notFound) }
        let id = first.request.id
        let withLogs = SimContext.wantsLogs(request)
        var headers: HTTPHeaders = ["Content-Type": "text/event-stream", "Cache-Control": "no-cache"]
        headers.set("X-Fal-Served-From", first.request.servedFrom)
        return HTTPResponse(status: .ok, headers: headers, body: .stream { [self] writer in
            let clock = queue.clock
            var lastDocument: [UInt8] = []
            var lastWrite = clock.now
            while let snapshot = queue.snapshot(id) {
                let document = documents.status(snapshot, withLogs: withLogs).body.serialized()
                if document != lastDocument {
                    try await writer.write(Array("data: ".utf8) + document + Array("\n\n".utf8))
                    lastDocument = document
                    lastWrite = clock.now
                }
                if snapshot.request.isCompleted { return }
                if clock.now - lastWrite >= configuration.keepAliveInterval {
                    try await writer.write(Array(": keep-alive\n\n".utf8))
                    lastWrite = clock.now
                }
                try await Task.sleep(for: SimContext.streamPollInterval)
            }
        })
    }
}
