import Foundation
import Logging
import SpoolJSON

/// fal's queue API (submit, status, result, cancel, status stream) over an `HTTPClient`.
///
/// Every call sends `Authorization: Key <key>`; the key never appears in errors or log lines. After a submit,
/// pass the URLs it returned (see `FalRequestURLs` to rebuild them from a stored request id). Errors are
/// `FalError`; none of these calls retries, because fal's queue already does (see `FalSubmitOptions.noRetry`).
package struct FalQueueClient: Sendable, CustomStringConvertible, CustomReflectable {
    package let baseURL: String
    private let key: String
    let http: HTTPClient
    private let logger: Logger

    package init(
        baseURL: String = "https://queue.fal.run", key: String, httpClient: HTTPClient,
        logger: Logger = Logger(label: "spool.fal")
    ) {
        self.baseURL = FalRequestURLs.trimmingSlashes(baseURL, leading: false)
        self.key = key
        self.http = httpClient
        self.logger = logger
    }

    package var description: String { "FalQueueClient(\(baseURL))" }
    package var customMirror: Mirror { Mirror(self, children: ["baseURL": baseURL]) }

    /// Queues `input` for `endpoint` (`fal-ai/kling-video/o3/pro/reference-to-video`). Store the returned
    /// request id before waiting on anything else.
    package func submit(
        endpoint: String, input: JSONValue, options: FalSubmitOptions = .init()
    ) async throws(FalError) -> FalSubmission {
        var url = baseURL + "/" + FalRequestURLs.trimmingSlashes(endpoint, leading: true)
        if let webhook = options.webhookURL { url = FalRequestURLs.appendingQuery("fal_webhook", webhook, to: url) }
        let headers = [("Content-Type", "application/json")] + options.headers
        let response = try await send(.post, url, headers: headers, body: input.serialized())
        let submission = try FalResponseDecoding.submission(from: response, now: Date())
        logger.debug("fal accepted a request", metadata: [
            "endpoint": "\(endpoint)", "fal_request_id": "\(submission.requestID)",
            "queue_position": "\(submission.queuePosition.map(String.init) ?? "-")",
        ])
        return submission
    }

    /// Polls the request's status once (`GET {status_url}?logs=1`), with what the answer's headers reported.
    package func status(statusURL: String, logs: Bool = true) async throws(FalError) -> FalAnswer<FalStatus> {
        let url = logs ? FalRequestURLs.appendingQuery("logs", "1", to: statusURL) : statusURL
        let response = try await send(.get, url)
        return FalAnswer(try FalResponseDecoding.status(from: response, now: Date()), report: FalReport(headers: response.headers))
    }

    package func status(of submission: FalSubmission, logs: Bool = true) async throws(FalError) -> FalAnswer<FalStatus> {
        try await status(statusURL: submission.statusURL, logs: logs)
    }

    /// The model's output, with what the answer's headers reported (usually the billed units). Call it once the
    /// status is COMPLETED: fal drops results about an hour later. A failed run comes back as `.runFailed`
    /// (or `.inputRejected` when the model refused the input).
    package func result(responseURL: String) async throws(FalError) -> FalAnswer<JSONValue> {
        let response = try await send(.get, responseURL)
        return FalAnswer(try FalResponseDecoding.result(from: response, now: Date()), report: FalReport(headers: response.headers))
    }

    /// Asks fal to cancel the request (`PUT {cancel_url}`).
    package func cancel(cancelURL: String) async throws(FalError) -> FalCancelOutcome {
        let outcome = try FalResponseDecoding.cancelOutcome(from: try await send(.put, cancelURL), now: Date())
        logger.debug("fal answered a cancel", metadata: ["cancel_url": "\(cancelURL)", "outcome": "\(outcome)"])
        return outcome
    }

    /// Sends one request with the key, turning transport failures into `FalError`.
    func send(
        _ method: HTTPClientRequest.Method, _ url: String, headers: [(String, String)] = [], body: [UInt8]? = nil
    ) async throws(FalError) -> HTTPClientResponse {
        let request = HTTPClientRequest(method: method, url: url, headers: authorized(headers), body: body)
        do {
            return try await http.execute(request)
        } catch {
            let failure = FalError(transportFailure: error)
            logger.debug("fal request failed", metadata: ["url": "\(url)", "error": "\(failure)"])
            throw failure
        }
    }

    /// `headers` plus the key, and `Accept: application/json` unless they name another type.
    func authorized(_ headers: [(String, String)]) -> [(String, String)] {
        let accept = headers.contains { $0.0.lowercased() == "accept" } ? [] : [("Accept", "application/json")]
        return [("Authorization", "Key \(key)")] + accept + headers
    }
}
