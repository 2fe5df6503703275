import SpoolJSON

/// One job as stored: what was asked, where it is, and what came of it.
package struct Job: Sendable, Equatable {
    package var id: String
    package var team: String
    package var model: String
    package var falEndpoint: String
    package var status: JobStatus
    /// The input as accepted (Spool's field names).
    package var input: JSONValue
    package var metadata: JSONValue?
    package var priority: Int
    package var attempts: Int
    package var queuePosition: Int?
    package var fal: FalReference?
    package var result: JSONValue?
    package var error: JobError?
    package var webhookURL: String?
    package var webhookEvents: [String]
    /// The secret that fal's callback URL for this job carries.
    package var falWebhookToken: String
    package var estimatedCostUSD: Double
    package var deadlineAt: Timestamp?
    package var createdAt: Timestamp
    package var updatedAt: Timestamp
    package var startedAt: Timestamp?
    package var completedAt: Timestamp?
    /// Not dispatched before this time (retry backoff).
    package var runAfter: Timestamp
    package var cancelRequested: Bool
    /// What fal reported about the run (served-from endpoint, billed units and price).
    package var billing = JobBilling()
    /// What a client of the fal surface asked of fal through fal's headers (empty otherwise).
    package var falOptions = FalRequestOptions()
    /// The output files and Spool's copies of them, read with completed jobs (`JobFile`).
    package var files: [JobFile] = []

    /// Where the job lives at fal once fal accepted it.
    package struct FalReference: Sendable, Equatable {
        package var requestID: String
        package var statusURL: String
        package var responseURL: String
        package var cancelURL: String

        package init(requestID: String, statusURL: String, responseURL: String, cancelURL: String) {
            self.requestID = requestID
            self.statusURL = statusURL
            self.responseURL = responseURL
            self.cancelURL = cancelURL
        }
    }
}

/// Why a job failed or was cancelled: `{"code", "message", "detail"}` in the job object.
package struct JobError: Sendable, Equatable, Error {
    package var code: String
    package var message: String
    package var detail: JSONValue?

    package init(code: String, message: String, detail: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.detail = detail
    }

    package var json: JSONValue {
        ["code": .string(code), "message": .string(message), "detail": detail ?? .null]
    }

    init?(json: JSONValue) {
        guard let code = json["code"]?.stringValue, let message = json["message"]?.stringValue else { return nil }
        let detail: JSONValue? = json["detail"].flatMap { value -> JSONValue? in value.isNull ? Optional.none : value }
        self.init(code: code, message: message, detail: detail)
    }

    /// The contract's error codes.
    package static let upstreamValidation = "upstream_validation"
    package static let upstreamError = "upstream_error"
    package static let upstreamAuth = "upstream_auth"
    package static let deadlineExceeded = "deadline_exceeded"
    package static let retriesExhausted = "retries_exhausted"
    package static let cancelled = "cancelled"
}

/// One entry of a job's history: a transition, when, on which attempt, and why.
package struct JobEvent: Sendable, Equatable {
    package var sequence: Int
    package var status: JobStatus
    package var at: Timestamp
    package var attempt: Int
    package var note: String?

    package init(sequence: Int, status: JobStatus, at: Timestamp, attempt: Int, note: String?) {
        self.sequence = sequence
        self.status = status
        self.at = at
        self.attempt = attempt
        self.note = note
    }

    package var json: JSONValue {
        ["status": .string(status.rawValue), "at": .string(at.rfc3339), "attempt": .integer(Int64(attempt)),
         "note": note.map(JSONValue.string) ?? .null]
    }
}
