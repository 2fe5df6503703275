import Foundation
import SpoolJSON

extension FalQueueClient {
    /// Follows the request's status as fal pushes it (`GET {status_url}/stream`, server-sent events), ending
    /// after the COMPLETED status.
    ///
    /// The stream throws `FalError`: an error answer, a malformed event, or `.transient` when the connection
    /// drops (or stays silent past `idleTimeout`; fal sends a comment every 15 s) before COMPLETED — then poll
    /// `status` or open a new stream. Stopping iteration closes the connection.
    package func statusStream(
        statusURL: String, logs: Bool = true, timeout: Duration = .seconds(3600), idleTimeout: Duration = .seconds(60)
    ) -> AsyncThrowingStream<FalStatus, Error> {
        var url = FalRequestURLs.appendingPath("/stream", to: statusURL)
        if logs { url = FalRequestURLs.appendingQuery("logs", "1", to: url) }
        let request = HTTPClientRequest(
            url: url, headers: authorized([("Accept", "text/event-stream")]), timeout: timeout,
            idleTimeout: idleTimeout, maxResponseBytes: 64 << 20)
        let http = self.http
        return AsyncThrowingStream { continuation in
            let task = Task {
                do throws(FalError) {
                    try await Self.follow(request, with: http, into: continuation)
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private static func follow(
        _ request: HTTPClientRequest, with http: HTTPClient,
        into continuation: AsyncThrowingStream<FalStatus, Error>.Continuation
    ) async throws(FalError) {
        do {
            let response = try await http.stream(request)
            guard (200..<300).contains(response.status) else {
                var body: [UInt8] = []
                for try await chunk in response.body { body += chunk }
                let whole = HTTPClientResponse(status: response.status, headers: response.headers, body: body)
                throw FalResponseDecoding.error(from: whole, now: Date())
            }
            var parser = ServerSentEventParser()
            for try await chunk in response.body {
                if try deliver(parser.feed(chunk), to: continuation) { return }
            }
            if try deliver(parser.finish(), to: continuation) { return }
            throw FalError.transient(status: nil, errorType: nil, retryAfterSeconds: nil, retryable: nil,
                                     message: "status stream ended before COMPLETED")
        } catch {
            throw FalError(transportFailure: error)
        }
    }

    /// Yields each event's status; true once COMPLETED was among them.
    private static func deliver(
        _ events: [String], to continuation: AsyncThrowingStream<FalStatus, Error>.Continuation
    ) throws(FalError) -> Bool {
        for data in events {
            let json: JSONValue
            do {
                json = try JSONValue(parsing: data)
            } catch {
                throw .unexpected(status: nil, message: "status event is not JSON (\(error)): \(data.prefix(500))")
            }
            let status = try FalResponseDecoding.status(fromJSON: json, httpStatus: nil)
            continuation.yield(status)
            if case .completed = status { return true }
        }
        return false
    }
}
