import Foundation
import Logging
import SpoolJSON
import Synchronization

/// What has happened to one request's webhook so far, for `/_sim/state`.
struct WebhookProgress: Sendable {
    let url: String
    var attempts = 0
    var delivered = false
    /// The last attempt's status code, or its connection error.
    var lastResult: String?
}

/// Sends fal-style webhooks when requests end, signed, retried on the configured schedule while the receiver
/// answers non-2xx or cannot be reached. Each delivery is a task; the blocking socket work of an attempt runs
/// on a thread of its own, so that it never holds a Swift concurrency thread nor one of Dispatch's few global
/// workers (a receiver that stalls until the timeout would hold it that long).
final class WebhookDispatcher: Sendable {
    private let signer: WebhookSigner
    private let configuration: SimulatorConfiguration
    private let logger: Logger
    private let progress = Mutex<[String: WebhookProgress]>([:])
    private let tasks = Mutex<[String: Task<Void, Never>]>([:])

    init(signer: WebhookSigner, configuration: SimulatorConfiguration, logger: Logger) {
        self.signer = signer
        self.configuration = configuration
        self.logger = logger
    }

    /// Starts delivering `body` for request `requestID` to `url`.
    func deliver(requestID: String, to url: String, body: JSONValue) {
        progress.withLock { $0[requestID] = WebhookProgress(url: url) }
        let bytes = body.serialized()
        // Made under the lock, so that the task's own removal (which needs the lock) comes after its insertion.
        tasks.withLock { tasks in
            tasks[requestID] = Task { [self] in
                await run(requestID: requestID, url: url, body: bytes)
                _ = self.tasks.withLock { $0.removeValue(forKey: requestID) }
            }
        }
    }

    /// Where request `requestID`'s webhook stands, if it has one.
    func progress(of requestID: String) -> WebhookProgress? { progress.withLock { $0[requestID] } }

    /// Stops every delivery still retrying.
    func cancelAll() {
        let running = tasks.withLock { tasks in
            defer { tasks.removeAll() }
            return Array(tasks.values)
        }
        for task in running { task.cancel() }
    }

    private func run(requestID: String, url: String, body: [UInt8]) async {
        let delays = [0] + configuration.webhookRetrySchedule
        for (attempt, delay) in delays.enumerated() {
            if delay > 0 {
                do { try await Task.sleep(for: .seconds(delay)) } catch { return }
            }
            if Task.isCancelled { return }
            let result = await attemptOnce(requestID: requestID, url: url, body: body)
            let accepted: Bool
            let summary: String
            switch result {
            case .success(let code): (accepted, summary) = ((200..<300).contains(code), String(code))
            case .failure(let error): (accepted, summary) = (false, error.description)
            }
            progress.withLock { entries in
                entries[requestID]?.attempts = attempt + 1
                entries[requestID]?.lastResult = summary
                entries[requestID]?.delivered = accepted
            }
            logger.info("webhook attempt", metadata: [
                "request_id": .string(requestID), "attempt": .stringConvertible(attempt + 1),
                "result": .string(summary),
            ])
            if accepted { return }
        }
        logger.warning("webhook not delivered, retries exhausted", metadata: ["request_id": .string(requestID)])
    }

    private func attemptOnce(requestID: String, url: String, body: [UInt8]) async -> Result<Int, PlainHTTPError> {
        let timestamp = Int(SimClock.wallNow())
        let headers: [(String, String)]
        do {
            headers = try signer.headers(requestID: requestID, userID: configuration.webhookUserID, timestamp: timestamp, body: body)
        } catch {
            return .failure(PlainHTTPError(description: "signing failed: \(error)"))
        }
        let timeout = configuration.webhookTimeout
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                do {
                    continuation.resume(returning: .success(
                        try PlainHTTPPost.post(url: url, headers: headers, body: body, timeout: timeout)))
                } catch let error as PlainHTTPError {
                    continuation.resume(returning: .failure(error))
                } catch {
                    continuation.resume(returning: .failure(PlainHTTPError(description: "\(error)")))
                }
            }
        }
    }
}
