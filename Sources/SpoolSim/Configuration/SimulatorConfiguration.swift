/// Everything the fal emulator can be told: where it listens, how fast its queue moves, which faults it injects
/// and how it sends webhooks. Durations are in seconds, rates are probabilities from 0 to 1.
///
/// The defaults give a quick, well-behaved queue for local use; tests shorten the timings further.
package struct SimulatorConfiguration: Sendable {
    // MARK: Listening

    /// Address to bind (an IPv4 or IPv6 literal, or `localhost`).
    package var host: String = "127.0.0.1"
    /// Port to bind; 0 lets the kernel choose (read it back from `FalSimulator.port`).
    package var port: Int = 9090
    /// Base of the URLs put in answers (`response_url`, `status_url`, `cancel_url`, the video URL), such as
    /// `http://sim.internal:9090`. Default: `http://host:port` of the bound socket.
    package var publicBaseURL: String?

    // MARK: Authentication

    /// When set, only `Authorization: Key <expectedKey>` is accepted; any other key is answered 401.
    /// A missing or malformed `Authorization` header is always answered 401, whatever this says.
    package var expectedKey: String?

    // MARK: Endpoints

    /// The endpoints that exist: a submit to any other is answered 404 as fal answers an unknown endpoint.
    /// Default: the Kling O3 family of `shared/spec/FAL.md`.
    package var endpoints: Set<String> = SimulatorConfiguration.klingO3Endpoints
    /// When true, a submit to any endpoint of 2 to 6 segments is accepted, whatever `endpoints` says.
    package var acceptAnyEndpoint: Bool = false

    /// The Kling O3 endpoints fal serves: reference-to-video in pro, standard and 4k; text-to-video and
    /// image-to-video in pro and standard.
    package static let klingO3Endpoints: Set<String> = [
        "fal-ai/kling-video/o3/pro/reference-to-video", "fal-ai/kling-video/o3/standard/reference-to-video",
        "fal-ai/kling-video/o3/4k/reference-to-video",
        "fal-ai/kling-video/o3/pro/text-to-video", "fal-ai/kling-video/o3/standard/text-to-video",
        "fal-ai/kling-video/o3/pro/image-to-video", "fal-ai/kling-video/o3/standard/image-to-video",
    ]

    // MARK: Timing

    /// How long a request stays `IN_QUEUE` when the account's concurrency limit has a free slot.
    package var queueSeconds: Double = 1.0
    /// How long a request stays `IN_PROGRESS` before it ends `COMPLETED`.
    package var runSeconds: Double = 2.0
    /// The account's concurrency limit: at most this many requests run at once; the others wait `IN_QUEUE`
    /// in submission order, their `queue_position` counting down as those ahead start.
    package var concurrency: Int = 2
    /// A running request writes a log line every this many seconds.
    package var logInterval: Double = 0.5
    /// A status stream (server-sent events) writes a `: keep-alive` comment after this long without an event.
    package var keepAliveInterval: Double = 15

    // MARK: Fault injection

    /// Chance that an operation is answered 503 with fal's platform error body and `X-Fal-Error-Type`.
    package var fail5xxRate: Double = 0
    /// Chance that an operation is answered 429 with `Retry-After`.
    package var fail429Rate: Double = 0
    /// The `Retry-After` value (whole seconds) of injected 429 answers.
    package var retryAfterSeconds: Int = 1
    /// Chance that an operation's connection is broken without a complete answer.
    package var dropRate: Double = 0
    /// Chance that an operation's answer is delayed by `slowSeconds` (then answered normally).
    package var slowRate: Double = 0
    /// The delay of a slow answer.
    package var slowSeconds: Double = 2
    /// Chance that a run fails inside the model: it ends `COMPLETED` with `error`/`error_type: internal_error`,
    /// and its result URL answers 500 with the model's `{"detail"}`.
    package var runErrorRate: Double = 0
    /// Chance that a run is refused by fal's content checker: it ends `COMPLETED` with
    /// `error_type: content_policy_violation`, and its result URL answers 422 with that `detail` entry.
    /// Decided after `runErrorRate`, for the runs it spared.
    package var contentPolicyRate: Double = 0
    /// How many times each successful run's result fetch is first answered a plain `500 Internal Server Error`
    /// (text, no fal error marking, no `X-Fal-Error-Type`) although its status says `COMPLETED`.
    package var resultFailuresPerRequest: Int = 0
    /// Chance that any fetch of a successful run's result is answered that plain 500 (after the first
    /// `resultFailuresPerRequest` ones, which always are).
    package var resultFailureRate: Double = 0
    /// Seconds every submit answer is held back after the request was queued, so that a client can be stopped
    /// while it waits for a submit that fal did accept. Applies to submits only, unlike `slowSeconds`.
    package var submitDelaySeconds: Double = 0
    /// Chance that a submit without `x-app-fal-disable-fallback: true` is rerouted to its endpoint's
    /// equivalent alternative (pro ↔ standard, 4k → pro); `X-Fal-Served-From` then names the alternative.
    package var fallbackRate: Double = 0
    /// Chance that a cancel of a queued or running request is answered `{"status": "OK"}` (202) rather than
    /// `{"status": "CANCELLATION_REQUESTED"}`; both cancel it.
    package var cancelOKRate: Double = 0
    /// The operations that the drop, 503, 429 and slow rates apply to. Run outcomes, result failures,
    /// fallbacks, cancel answers and the submit delay follow their own knobs whatever this says.
    package var faultOperations: Set<SimOperation> = Set(SimOperation.allCases)
    /// Seed of the random generator that decides faults, so that a run of the emulator can be replayed.
    package var seed: UInt64 = 1

    // MARK: Payload storage

    /// With `X-Fal-Store-IO: 0` on the submit, seconds after completion that a result stays fetchable; later
    /// the result URL answers 404 as for an expired payload. fal: about an hour.
    package var unstoredResultSeconds: Double = 3600
    /// The same for a result of at least `unstoredLargeResultBytes` bytes. fal: about 6 minutes.
    package var unstoredLargeResultSeconds: Double = 360
    /// The size (bytes of the result's JSON) from which `unstoredLargeResultSeconds` applies. fal: 10 KB.
    package var unstoredLargeResultBytes: Int = 10 * 1024

    // MARK: Output files

    /// When true, a run's video lasts the `duration` it asked for (its header boxes stretched); when false, every
    /// video lasts 1 s, so that videos of different jobs stay the same length (a side-by-side view that seeks them
    /// together relies on it). Either way the video has the job's `aspect_ratio`.
    package var videoFollowsDuration: Bool = false

    /// Size in bytes of every run's output file, 64 KiB to 4 GiB − 1. Nil: the video alone (about 3 KB: one of
    /// the samples, in the run's aspect ratio and duration). Set: that video followed by a `free` box of fixed
    /// pseudo-random bytes (still playable, same SHA-256 on every run), streamed, never whole in memory.
    package var outputFileBytes: Int?
    /// Seconds after the run ended that its output file stays downloadable; later it answers 404. Nil: forever.
    package var fileExpirySeconds: Double?
    /// A download that starts at byte 0 (no `Range`, or a range from 0) breaks its connection after this many
    /// bytes; a `Range` request that resumes past 0 is served whole. Nil: downloads complete.
    package var fileCutAfterBytes: Int?
    /// A folder where each successful run's video is kept as a file when the run ends, so that an emulator started
    /// again on the same port (and folder) still serves the video URLs an earlier one handed out; expiry then counts
    /// from when the file was kept. Nil: videos live in memory only, and are gone after a restart.
    package var outputFolder: String?

    // MARK: Webhooks

    /// Seconds to wait before each retry of a webhook the receiver did not accept (non-2xx or connection error);
    /// the first attempt is immediate, so there are `count + 1` attempts in all. fal's own schedule spans hours.
    package var webhookRetrySchedule: [Double] = [0.5, 1, 2, 4]
    /// How long one webhook attempt may take (connect, send, read the status line) before it counts as failed.
    package var webhookTimeout: Double = 10
    /// The `X-Fal-Webhook-User-Id` sent with webhooks (part of the signed text).
    package var webhookUserID: String = "spool-sim-user"
    /// 32 bytes from which the Ed25519 webhook signing key is made, so that its public key stays the same across
    /// restarts. Nil: a new key at every start.
    package var webhookKeySeed: [UInt8]?

    package init() {}

    /// Every knob checked, with a message that names the one that is wrong.
    package func validate() throws(SimulatorConfigurationError) {
        func fail(_ message: String) -> SimulatorConfigurationError { SimulatorConfigurationError(message: message) }
        guard (0...65535).contains(port) else { throw fail("port must be 0…65535, not \(port)") }
        guard concurrency >= 1 else { throw fail("concurrency must be at least 1, not \(concurrency)") }
        let durations: [(String, Double)] = [
            ("queueSeconds", queueSeconds), ("runSeconds", runSeconds), ("slowSeconds", slowSeconds),
            ("submitDelaySeconds", submitDelaySeconds), ("unstoredResultSeconds", unstoredResultSeconds),
            ("unstoredLargeResultSeconds", unstoredLargeResultSeconds),
        ]
        for (name, value) in durations where !(value.isFinite && value >= 0) {
            throw fail("\(name) must be a number of seconds ≥ 0, not \(value)")
        }
        let positive: [(String, Double)] = [
            ("logInterval", logInterval), ("keepAliveInterval", keepAliveInterval), ("webhookTimeout", webhookTimeout),
        ]
        for (name, value) in positive where !(value.isFinite && value > 0) {
            throw fail("\(name) must be a number of seconds > 0, not \(value)")
        }
        let rates: [(String, Double)] = [
            ("fail5xxRate", fail5xxRate), ("fail429Rate", fail429Rate), ("dropRate", dropRate),
            ("slowRate", slowRate), ("runErrorRate", runErrorRate), ("contentPolicyRate", contentPolicyRate),
            ("resultFailureRate", resultFailureRate), ("fallbackRate", fallbackRate), ("cancelOKRate", cancelOKRate),
        ]
        for (name, value) in rates where !(0...1).contains(value) {
            throw fail("\(name) must be between 0 and 1, not \(value)")
        }
        guard retryAfterSeconds >= 0 else { throw fail("retryAfterSeconds must be ≥ 0") }
        guard resultFailuresPerRequest >= 0 else { throw fail("resultFailuresPerRequest must be ≥ 0") }
        guard unstoredLargeResultBytes >= 0 else { throw fail("unstoredLargeResultBytes must be ≥ 0") }
        if let size = outputFileBytes, !(OutputFile.smallestPaddedSize...OutputFile.largestSize).contains(size) {
            throw fail("outputFileBytes must be \(OutputFile.smallestPaddedSize)…\(OutputFile.largestSize), not \(size)")
        }
        if let seconds = fileExpirySeconds, !(seconds.isFinite && seconds >= 0) {
            throw fail("fileExpirySeconds must be a number of seconds ≥ 0, not \(seconds)")
        }
        if let bytes = fileCutAfterBytes, bytes < 0 { throw fail("fileCutAfterBytes must be ≥ 0, not \(bytes)") }
        if let bad = endpoints.first(where: { !SimulatorConfiguration.isEndpointID($0) }) {
            throw fail("endpoints must be ids of 2 to 6 segments such as fal-ai/kling-video/o3/pro/text-to-video, not '\(bad)'")
        }
        if let bad = webhookRetrySchedule.first(where: { !($0.isFinite && $0 >= 0) }) {
            throw fail("webhookRetrySchedule entries must be seconds ≥ 0, not \(bad)")
        }
        if let seed = webhookKeySeed, seed.count != 32 {
            throw fail("webhookKeySeed must be 32 bytes, not \(seed.count)")
        }
        if let base = publicBaseURL, !(base.hasPrefix("http://") || base.hasPrefix("https://")) {
            throw fail("publicBaseURL must start with http:// or https://, not \(base)")
        }
    }
}

extension SimulatorConfiguration {
    /// Whether `id` has the shape of an endpoint id: 2 to 6 non-empty segments, no leading or trailing slash.
    static func isEndpointID(_ id: String) -> Bool {
        let parts = id.split(separator: "/", omittingEmptySubsequences: false)
        return (2...6).contains(parts.count) && !parts.contains { $0.isEmpty }
    }

    /// Whether a submit to `endpoint` is accepted.
    func serves(_ endpoint: String) -> Bool { acceptAnyEndpoint || endpoints.contains(endpoint) }
}

/// The queue operations that fault injection can target.
package enum SimOperation: String, Sendable, Hashable, CaseIterable {
    case submit, status, result, cancel
}

/// A configuration value that cannot work, and why.
package struct SimulatorConfigurationError: Error, Sendable, CustomStringConvertible {
    package let message: String
    package var description: String { message }
}
