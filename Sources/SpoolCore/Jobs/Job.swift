import SpoolJSON

/// One job as stored: what was asked, where it is, and what came of it.
public struct Job: Sendable, Equatable {
    public var id: String
    public var team: String
    public var model: String
    public var falEndpoint: String
    public var status: JobStatus
    /// The input as accepted (Spool's field names).
    public var input: JSONValue
    public var metadata: JSONValue?
    public var priority: Int
    public var attempts: Int
    public var queuePosition: Int?
    public var fal: FalReference?
    public var result: JSONValue?
    public var error: JobError?
    public var webhookURL: String?
    public var webhookEvents: [String]
    /// The secret that fal's callback URL for this job carries.
    public var falWebhookToken: String
    public var estimatedCostUSD: Double
    public var deadlineAt: Timestamp?
    public var createdAt: Timestamp
    public var updatedAt: Timestamp
    public var startedAt: Timestamp?
    public var completedAt: Timestamp?
    /// Not dispatched before this time (retry backoff).
    public var runAfter: Timestamp
    public var cancelRequested: Bool
    /// What fal reported about the run (served-from endpoint, billed units and price).
    public var billing = JobBilling()
    /// What a client of the fal surface asked of fal through fal's headers (empty otherwise).
    public var falOptions = FalRequestOptions()
    /// The output files and Spool's copies of them, read with completed jobs (`JobFile`).
    public var files: [JobFile] = []

    /// Where the job lives at fal once fal accepted it.
    public struct FalReference: Sendable, Equatable {
        public var requestID: String
        public var statusURL: String
        public var responseURL: String
        public var cancelURL: String

        public init(requestID: String, statusURL: String, responseURL: String, cancelURL: String) {
            self.requestID = requestID
            self.statusURL = statusURL
            self.responseURL = responseURL
            self.cancelURL = cancelURL
        }
    }
}

/// Why a job failed or was cancelled: `{"code", "message", "detail"}` in the job object.
public struct JobError: Sendable, Equatable, Error {
    public var code: String
    public var message: String
    public var detail: JSONValue?

    public init(code: String, message: String, detail: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.detail = detail
    }

    public var json: JSONValue {
        ["code": .string(code), "message": .string(message), "detail": detail ?? .null]
    }

    init?(json: JSONValue) {
        guard let code = json["code"]?.stringValue, let message = json["message"]?.stringValue else { return nil }
        let detail: JSONValue? = json["detail"].flatMap { value -> JSONValue? in value.isNull ? Optional.none : value }
        self.init(code: code, message: message, detail: detail)
    }

    /// The contract's error codes.
    public static let upstreamValidation = "upstream_validation"
    public static let upstreamError = "upstream_error"
    public static let upstreamAuth = "upstream_auth"
    public static let deadlineExceeded = "deadline_exceeded"
    public static let retriesExhausted = "retries_exhausted"
    public static let cancelled = "cancelled"
}

/// One entry of a job's history: a transition, when, on which attempt, and why.
public struct JobEvent: Sendable, Equatable {
    public var sequence: Int
    public var status: JobStatus
    public var at: Timestamp
    public var attempt: Int
    public var note: String?

    public init(sequence: Int, status: JobStatus, at: Timestamp, attempt: Int, note: String?) {
        self.sequence = sequence
        self.status = status
        self.at = at
        self.attempt = attempt
        self.note = note
    }

    public var json: JSONValue {
        ["status": .string(status.rawValue), "at": .string(at.rfc3339), "attempt": .integer(Int64(attempt)),
         "note": note.map(JSONValue.string) ?? .null]
    }
}
