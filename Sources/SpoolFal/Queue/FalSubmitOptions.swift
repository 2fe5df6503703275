/// Optional settings of a submit, each sent the way fal expects it.
///
/// There is deliberately no queue priority: each fal endpoint has one queue shared by every fal user, and
/// `X-Fal-Queue-Priority: low` waits behind all of them, so priorities stay inside Spool's own dispatch and
/// nothing is sent (fal's default is `normal`).
package struct FalSubmitOptions: Sendable {
    /// fal's clients refuse request timeouts of this many seconds or fewer; such values are never sent.
    package static let minimumRequestTimeoutSeconds = 1

    /// fal POSTs the outcome here when the request ends (`?fal_webhook=`).
    package var webhookURL: String?
    /// Deadline in seconds for the run to start (`X-Fal-Request-Timeout`); on expiry fal answers 504.
    /// Sent only when above `minimumRequestTimeoutSeconds`.
    package var requestTimeoutSeconds: Int?
    /// `X-Fal-No-Retry: 1`: fal's queue does not retry the run on 503, 504, 429 or connection errors.
    package var noRetry: Bool
    /// False sends `X-Fal-Store-IO: 0`: fal keeps its copy of inputs and outputs about an hour instead of
    /// the account's storage period.
    package var storeIO: Bool
    /// True sends `x-app-fal-disable-fallback: true`: fal runs the endpoint asked for, never an "equivalent
    /// alternative" at another price.
    package var disableFallback: Bool
    /// How long fal keeps output files on its CDN (`X-Fal-Object-Lifecycle-Preference`); nil sends nothing
    /// (the account's setting, forever by default).
    package var outputExpirySeconds: Int?
    /// `X-Fal-Runner-Hint`: runner affinity, passed on as a client of Spool's fal surface sent it.
    package var runnerHint: String?

    package init(
        webhookURL: String? = nil, requestTimeoutSeconds: Int? = nil, noRetry: Bool = false, storeIO: Bool = true,
        disableFallback: Bool = true, outputExpirySeconds: Int? = nil, runnerHint: String? = nil
    ) {
        self.webhookURL = webhookURL
        self.requestTimeoutSeconds = requestTimeoutSeconds
        self.noRetry = noRetry
        self.storeIO = storeIO
        self.disableFallback = disableFallback
        self.outputExpirySeconds = outputExpirySeconds
        self.runnerHint = runnerHint
    }

    /// The request headers these options stand for, in a fixed order.
    var headers: [(String, String)] {
        var headers: [(String, String)] = []
        if let seconds = requestTimeoutSeconds, seconds > Self.minimumRequestTimeoutSeconds {
            headers.append(("X-Fal-Request-Timeout", String(seconds)))
        }
        if noRetry { headers.append(("X-Fal-No-Retry", "1")) }
        if !storeIO { headers.append(("X-Fal-Store-IO", "0")) }
        if disableFallback { headers.append(("x-app-fal-disable-fallback", "true")) }
        if let seconds = outputExpirySeconds {
            headers.append(("X-Fal-Object-Lifecycle-Preference", #"{"expiration_duration_seconds": \#(seconds)}"#))
        }
        if let runnerHint { headers.append(("X-Fal-Runner-Hint", runnerHint)) }
        return headers
    }
}
