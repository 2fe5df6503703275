import SpoolJSON

/// What a client of the fal surface asked of fal for one job, through fal's own request headers, kept on the job
/// (column `fal_options`) so that the submit to fal carries it; empty for jobs from `/v1/jobs`. Where the team's
/// own setting is stricter, the submit uses the team's (`FalSubmitOptions(job:…)`).
package struct FalRequestOptions: Sendable, Equatable {
    /// `X-Fal-No-Retry: 1`: fal's queue should not retry the run.
    package var noRetry = false
    /// `X-Fal-Store-IO: 0` (false) or `1` (true); nil when not sent.
    package var storeIO: Bool?
    /// `X-Fal-Object-Lifecycle-Preference`'s `expiration_duration_seconds`; nil when not sent or null.
    package var outputExpirySeconds: Int?
    /// `X-Fal-Runner-Hint`, passed on as sent.
    package var runnerHint: String?
    /// The endpoint is outside the catalog and named in `fal_surface.passthrough_endpoints`: the input goes to
    /// fal as stored, unvalidated and unmapped.
    package var passthrough = false

    package init(
        noRetry: Bool = false, storeIO: Bool? = nil, outputExpirySeconds: Int? = nil, runnerHint: String? = nil,
        passthrough: Bool = false
    ) {
        self.noRetry = noRetry
        self.storeIO = storeIO
        self.outputExpirySeconds = outputExpirySeconds
        self.runnerHint = runnerHint
        self.passthrough = passthrough
    }

    /// Nothing asked: stored as NULL.
    package var isEmpty: Bool { self == FalRequestOptions() }

    /// The stored form: only what was asked, `{"no_retry", "store_io", "output_expiry_seconds", "runner_hint",
    /// "passthrough"}`; nil when empty.
    var json: JSONValue? {
        guard !isEmpty else { return nil }
        var object: JSONObject = [:]
        if noRetry { object["no_retry"] = true }
        if let storeIO { object["store_io"] = .bool(storeIO) }
        if let outputExpirySeconds { object["output_expiry_seconds"] = .integer(Int64(outputExpirySeconds)) }
        if let runnerHint { object["runner_hint"] = .string(runnerHint) }
        if passthrough { object["passthrough"] = true }
        return .object(object)
    }

    /// Reads the stored form; NULL (or anything unreadable) is empty.
    init(json: JSONValue?) {
        self.init(
            noRetry: json?["no_retry"]?.boolValue ?? false, storeIO: json?["store_io"]?.boolValue,
            outputExpirySeconds: json?["output_expiry_seconds"]?.integerValue.map(Int.init),
            runnerHint: json?["runner_hint"]?.stringValue, passthrough: json?["passthrough"]?.boolValue ?? false)
    }
}
