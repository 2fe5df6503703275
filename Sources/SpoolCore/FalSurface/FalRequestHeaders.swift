import SpoolHTTP
import SpoolJSON

/// The `X-Fal-*` headers of a submit that mean something to Spool (FAL.md, "Request headers worth passing
/// through"), read and checked; a bad value is a 422 entry at `["header", name]`, as fal reports a bad field.
///
/// - `X-Fal-Request-Timeout: <seconds>` is the job's deadline, as `deadline_seconds` on `/v1/jobs`: a job not
///   completed by then is cancelled and fails `deadline_exceeded`. Not taken for teams that ignore the surface's
///   cancels, because fal's Python client sends its `client_timeout` there.
/// - `X-Fal-No-Retry`, `X-Fal-Store-IO`, `X-Fal-Object-Lifecycle-Preference` and `X-Fal-Runner-Hint` are kept
///   on the job and sent to fal at submit (the team's stricter retention setting wins).
/// - `X-Fal-Queue-Priority: low` puts the job behind the team's others inside Spool; fal itself is always sent
///   `normal`, since fal's queue of an endpoint is shared by every fal user.
struct FalRequestHeaders: Sendable {
    var options = FalRequestOptions()
    var deadlineSeconds: Double?
    var priority = 0

    static let requestTimeout = "x-fal-request-timeout"
    static let noRetry = "x-fal-no-retry"
    static let storeIO = "x-fal-store-io"
    static let lifecyclePreference = "x-fal-object-lifecycle-preference"
    static let runnerHint = "x-fal-runner-hint"
    static let queuePriority = "x-fal-queue-priority"

    /// Spool priority for fal's `low` queue priority: behind the team's jobs of default priority.
    static let lowPriority = -10
    /// Longest runner hint passed on.
    static let maxRunnerHintLength = 256

    /// Reads `request`'s headers; `takesDeadline` false leaves `X-Fal-Request-Timeout` aside.
    static func read(_ request: HTTPRequest, takesDeadline: Bool) throws(FalSurfaceError) -> FalRequestHeaders {
        var read = FalRequestHeaders()
        var problems: [JSONValue] = []
        func refuse(_ header: String, _ message: String) {
            problems.append(FalSurfaceError.validationEntry(loc: ["header", .string(header)], message: message))
        }
        if let text = request.headers[requestTimeout] {
            if let seconds = Double(text.trimmingCharacters(in: " ")), seconds > 0,
               seconds <= SubmitRequest.maxDeadlineSeconds {
                if takesDeadline { read.deadlineSeconds = seconds }
            } else {
                refuse(requestTimeout, "must be a number of seconds above 0 and at most 604800")
            }
        }
        if let text = request.headers[noRetry] {
            if let flag = flag(text) { read.options.noRetry = flag } else { refuse(noRetry, "must be 1 or 0") }
        }
        if let text = request.headers[storeIO] {
            if let flag = flag(text) { read.options.storeIO = flag } else { refuse(storeIO, "must be 1 or 0") }
        }
        if let text = request.headers[lifecyclePreference] {
            switch expirySeconds(text) {
            case .success(let seconds): read.options.outputExpirySeconds = seconds
            case .failure(let problem): refuse(lifecyclePreference, problem.message)
            }
        }
        if let hint = request.headers[runnerHint] {
            let printable = hint.utf8.allSatisfy { (0x20...0x7E).contains($0) }
            if printable, !hint.isEmpty, hint.count <= maxRunnerHintLength {
                read.options.runnerHint = hint
            } else {
                refuse(runnerHint, "must be 1 to \(maxRunnerHintLength) printable ASCII characters")
            }
        }
        if request.headers[queuePriority]?.lowercased() == "low" { read.priority = lowPriority }
        guard problems.isEmpty else { throw .validation(problems) }
        return read
    }

    private static func flag(_ text: String) -> Bool? {
        switch text.trimmingCharacters(in: " ").lowercased() {
        case "1", "true": return true
        case "0", "false": return false
        default: return nil
        }
    }

    private struct Problem: Error { var message: String }

    /// `{"expiration_duration_seconds": N|null}`: N whole seconds of at least 1, or nil for null or absent
    /// (the account's setting). Other members are not read.
    private static func expirySeconds(_ text: String) -> Result<Int?, Problem> {
        let shape = Problem(message: #"must be a JSON object such as {"expiration_duration_seconds": 3600}"#)
        guard let document = try? JSONValue(parsing: Array(text.utf8)), let object = document.objectValue else {
            return .failure(shape)
        }
        guard let value = object["expiration_duration_seconds"], !value.isNull else { return .success(nil) }
        guard let seconds = value.integerValue, seconds >= 1, seconds <= Int64(Int32.max) else {
            return .failure(Problem(
                message: "expiration_duration_seconds must be a whole number of seconds of at least 1, or null"))
        }
        return .success(Int(seconds))
    }
}
