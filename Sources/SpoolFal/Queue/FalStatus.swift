import SpoolJSON

/// Where a fal request stands, as its status endpoint (or status stream) reports it.
package enum FalStatus: Sendable, Equatable {
    /// Waiting for a runner; `position` 0 is next.
    case inQueue(position: Int?)
    case inProgress(logs: [FalLog])
    /// Finished. A failed run carries `error` (and usually `errorType`); fetch the result at once either way,
    /// fal keeps it about an hour (six minutes when large).
    case completed(logs: [FalLog], metrics: JSONValue?, error: String?, errorType: String?)

    /// The failure of a completed run as an error, or nil when the run succeeded or has not finished.
    package var runFailure: FalError? {
        guard case .completed(_, _, let error?, let errorType) = self else { return nil }
        return .runFailed(status: nil, errorType: errorType, detail: .string(error), message: error)
    }
}

/// One log line of a run.
package struct FalLog: Sendable, Equatable {
    package var message: String
    package var level: String?
    package var source: String?
    package var timestamp: String?

    package init(message: String, level: String? = nil, source: String? = nil, timestamp: String? = nil) {
        self.message = message
        self.level = level
        self.source = source
        self.timestamp = timestamp
    }
}

/// What fal said to a cancel request.
package enum FalCancelOutcome: Sendable, Equatable {
    /// 202 `CANCELLATION_REQUESTED` (or `OK`): the request was queued or running; it will stop (a running one
    /// may still complete).
    case cancellationRequested
    /// 400 `ALREADY_COMPLETED`: too late, the result (or failure) stands.
    case alreadyCompleted
    /// 404: fal does not know the request.
    case notFound
}

/// fal's answer to a submit: the request id to store before anything else, and the URLs to follow.
package struct FalSubmission: Sendable, Equatable {
    package var requestID: String
    package var gatewayRequestID: String?
    package var statusURL: String
    package var responseURL: String
    package var cancelURL: String
    package var queuePosition: Int?
    /// What the submit answer's headers reported (fal may already say which endpoint takes the request).
    package var report: FalReport

    package init(
        requestID: String, gatewayRequestID: String? = nil, statusURL: String, responseURL: String,
        cancelURL: String, queuePosition: Int? = nil, report: FalReport = FalReport()
    ) {
        self.requestID = requestID
        self.gatewayRequestID = gatewayRequestID
        self.statusURL = statusURL
        self.responseURL = responseURL
        self.cancelURL = cancelURL
        self.queuePosition = queuePosition
        self.report = report
    }
}
