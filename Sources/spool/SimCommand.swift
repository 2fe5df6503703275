import ArgumentParser
import Logging
import SpoolJSON
import SpoolSim

/// `spool sim`: runs only the fal queue emulator, until SIGINT or SIGTERM.
struct SimCommand: AsyncParsableCommand {
    private static let defaults = SimulatorConfiguration()

    static let configuration = CommandConfiguration(
        commandName: "sim",
        abstract: "Run only the fal.ai queue emulator (no fal account needed).",
        discussion: """
            Serves fal's queue API (submit, status, status stream, result, cancel), signed webhooks, a real MP4 and \
            its webhook JWKS at /.well-known/jwks.json, so that Spool, or fal's own clients, can run against it. \
            Point a client at it with SPOOL_FAL_QUEUE_URL=http://HOST:PORT. GET /_sim/requests lists what it \
            received (DELETE clears it); GET /_sim/state shows its queue. Durations are in seconds; rates are \
            probabilities from 0 to 1. It stops on SIGINT or SIGTERM.
            """)

    @Option(help: ArgumentHelp("Address to listen on. IPv6 as [::1]:9090.", valueName: "host:port"))
    var listen = "127.0.0.1:9090"

    @Option(help: ArgumentHelp(
        "Base of the URLs put in answers (response/status/cancel URLs, video URLs). Default: http://HOST:PORT.",
        valueName: "url"))
    var publicURL: String?

    @Option(help: ArgumentHelp(
        "The only fal key accepted (Authorization: Key <key>); others get 401. Without it any key is accepted. "
            + "A missing or malformed Authorization header always gets 401.", valueName: "key"))
    var key: String?

    @Option(name: .customLong("endpoint"), help: ArgumentHelp(
        "An endpoint to serve besides the Kling O3 family (pro/standard/4k reference-to-video, pro/standard "
            + "text-to-video and image-to-video); repeat for more. Submits to any other endpoint get fal's 404.",
        valueName: "owner/app/path"))
    var extraEndpoints: [String] = []

    @Flag(help: "Accept a submit to any endpoint of 2 to 6 segments (no 404 for unknown endpoints).")
    var acceptAnyEndpoint = false

    @Option(help: "Seconds a request stays IN_QUEUE when the concurrency limit has a free slot.")
    var queueSeconds = defaults.queueSeconds

    @Option(help: "Seconds a request stays IN_PROGRESS before it ends COMPLETED.")
    var runSeconds = defaults.runSeconds

    @Option(help: ArgumentHelp(
        "Account concurrency limit: at most this many run at once; the rest wait IN_QUEUE in order, "
            + "their queue_position counting down."))
    var concurrency = defaults.concurrency

    @Option(help: "Seconds between the log lines of a running request.")
    var logInterval = defaults.logInterval

    @Option(help: "Seconds without an event after which a status stream sends a ': keep-alive' comment.")
    var keepAlive = defaults.keepAliveInterval

    @Option(name: .customLong("fail-5xx-rate"), help: ArgumentHelp(
        "Chance that an operation is answered 503 with fal's platform error body and an X-Fal-Error-Type header."))
    var fail5xxRate = defaults.fail5xxRate

    @Option(name: .customLong("fail-429-rate"), help: "Chance that an operation is answered 429 with Retry-After.")
    var fail429Rate = defaults.fail429Rate

    @Option(help: "The Retry-After seconds of injected 429 answers.")
    var retryAfter = defaults.retryAfterSeconds

    @Option(help: "Chance that an operation's connection is broken without a complete answer.")
    var dropRate = defaults.dropRate

    @Option(help: "Chance that an operation's answer is delayed by --slow-seconds (then answered normally).")
    var slowRate = defaults.slowRate

    @Option(help: "The delay of a slow answer, in seconds.")
    var slowSeconds = defaults.slowSeconds

    @Option(help: ArgumentHelp(
        "Chance that a run fails inside the model: it ends COMPLETED with error_type internal_error, and its "
            + "result URL answers 500 with the model's {\"detail\"}."))
    var runErrorRate = defaults.runErrorRate

    @Option(help: ArgumentHelp(
        "Chance that a run is refused by the content checker: it ends COMPLETED with error_type "
            + "content_policy_violation, and its result URL answers 422 with that detail."))
    var contentPolicyRate = defaults.contentPolicyRate

    @Option(help: ArgumentHelp(
        "How many times each successful run's result is first answered a plain '500 Internal Server Error' "
            + "(no fal error body, no X-Fal-Error-Type) although its status says COMPLETED."))
    var resultFailures = defaults.resultFailuresPerRequest

    @Option(help: ArgumentHelp(
        "Chance that any later fetch of a successful run's result gets that plain 500 (a flaky result endpoint)."))
    var resultFailureRate = defaults.resultFailureRate

    @Option(help: ArgumentHelp(
        "Seconds every submit answer is held back after the request was queued (submits only), so that a "
            + "client can be stopped while waiting for a submit fal did accept."))
    var submitDelay = defaults.submitDelaySeconds

    @Option(help: ArgumentHelp(
        "Chance that a submit without 'x-app-fal-disable-fallback: true' is rerouted to the equivalent "
            + "endpoint (pro <-> standard, 4k -> pro); X-Fal-Served-From then names it."))
    var fallbackRate = defaults.fallbackRate

    @Option(name: .customLong("cancel-ok-rate"), help: ArgumentHelp(
        "Chance that a cancel of a queued or running request is answered {\"status\": \"OK\"} (202) instead of "
            + "CANCELLATION_REQUESTED; both cancel it."))
    var cancelOKRate = defaults.cancelOKRate

    @Option(help: ArgumentHelp(
        "Seconds a result stays fetchable after completion when the submit sent X-Fal-Store-IO: 0 "
            + "(fal: about an hour); later the result URL answers 404."))
    var unstoredResultSeconds = defaults.unstoredResultSeconds

    @Option(help: ArgumentHelp(
        "The same for a result of at least --unstored-large-result-bytes (fal: about 6 minutes)."))
    var unstoredLargeResultSeconds = defaults.unstoredLargeResultSeconds

    @Option(help: "Size in bytes of a result's JSON from which --unstored-large-result-seconds applies (fal: 10 KB).")
    var unstoredLargeResultBytes = defaults.unstoredLargeResultBytes

    @Option(help: ArgumentHelp(
        "The operations the fault rates apply to, comma-separated, from submit,status,result,cancel.",
        valueName: "list"))
    var faultOperations = SimOperation.allCases.map(\.rawValue).joined(separator: ",")

    @Option(help: "Seed of the random generator that decides faults, for reproducible runs.")
    var seed = defaults.seed

    @Option(help: ArgumentHelp(
        "Size in bytes (64 KiB to 4 GiB - 1) of every output file: the run's video padded with a playable MP4 "
            + "'free' box of fixed bytes (the same SHA-256 every run), streamed, never whole in memory, for "
            + "download tests. Default: the video alone (about 3 KB).",
        valueName: "bytes"))
    var outputFileBytes: Int?

    @Flag(help: ArgumentHelp(
        "Make each video last the job's duration (default: every video lasts 1 s, so that videos of different "
            + "jobs stay the same length for side-by-side views). Videos always follow the job's aspect_ratio."))
    var videoFollowsDuration = false

    @Option(help: "Seconds after a run ended that its output file stays downloadable; later it answers 404. Default: forever.")
    var fileExpirySeconds: Double?

    @Option(help: ArgumentHelp(
        "Break a download that starts at byte 0 after this many bytes (to test resuming with Range); "
            + "a Range request past byte 0 is served whole.", valueName: "bytes"))
    var fileCutAfterBytes: Int?

    @Option(help: ArgumentHelp(
        "Seconds before each retry of a webhook the receiver did not accept (non-2xx or unreachable), "
            + "comma-separated; the first attempt is immediate.", valueName: "list"))
    var webhookRetrySchedule = defaults.webhookRetrySchedule.map { "\($0)" }.joined(separator: ",")

    @Option(help: "Seconds one webhook attempt may take.")
    var webhookTimeout = defaults.webhookTimeout

    @Option(help: "The X-Fal-Webhook-User-Id sent with (and signed into) webhooks.")
    var webhookUserID = defaults.webhookUserID

    @Option(help: ArgumentHelp(
        "64 hex digits (32 bytes) from which the Ed25519 webhook signing key is made, so that the JWKS stays the "
            + "same across restarts. Default: a new key at every start.", valueName: "hex"))
    var webhookKeySeed: String?

    /// `--config`, `--log-level` and `--log-format`: the emulator takes its log settings (`log_format`, `log_level`)
    /// from the same file and environment as the gateway; its knobs are its own flags.
    @OptionGroup var settings: SettingsOptions

    func validate() throws {
        _ = try settings.loadConfiguration()
        _ = try makeConfiguration()
    }

    func run() async throws {
        SettingsOptions.bootstrapLogging(try settings.loadConfiguration())
        let logger = Logger(label: "spool.sim")
        let simulator = FalSimulator(configuration: try makeConfiguration(), logger: logger)
        try simulator.start()
        let signal = await ShutdownSignals.wait()
        logger.info("stopping", metadata: ["signal": .string(signal)])
        await simulator.shutdown()
    }

    /// The simulator configuration these options describe, checked.
    func makeConfiguration() throws -> SimulatorConfiguration {
        var configuration = SimulatorConfiguration()
        (configuration.host, configuration.port) = try SimCommand.parseListen(listen)
        configuration.publicBaseURL = publicURL
        configuration.expectedKey = key
        configuration.endpoints.formUnion(extraEndpoints)
        configuration.acceptAnyEndpoint = acceptAnyEndpoint
        configuration.queueSeconds = queueSeconds
        configuration.runSeconds = runSeconds
        configuration.concurrency = concurrency
        configuration.logInterval = logInterval
        configuration.keepAliveInterval = keepAlive
        configuration.fail5xxRate = fail5xxRate
        configuration.fail429Rate = fail429Rate
        configuration.retryAfterSeconds = retryAfter
        configuration.dropRate = dropRate
        configuration.slowRate = slowRate
        configuration.slowSeconds = slowSeconds
        configuration.runErrorRate = runErrorRate
        configuration.contentPolicyRate = contentPolicyRate
        configuration.resultFailuresPerRequest = resultFailures
        configuration.resultFailureRate = resultFailureRate
        configuration.submitDelaySeconds = submitDelay
        configuration.fallbackRate = fallbackRate
        configuration.cancelOKRate = cancelOKRate
        configuration.unstoredResultSeconds = unstoredResultSeconds
        configuration.unstoredLargeResultSeconds = unstoredLargeResultSeconds
        configuration.unstoredLargeResultBytes = unstoredLargeResultBytes
        configuration.faultOperations = try Set(SimCommand.list(faultOperations).map { name in
            guard let operation = SimOperation(rawValue: name) else {
                throw ValidationError("unknown operation '\(name)' in --fault-operations (use submit, status, result, cancel)")
            }
            return operation
        })
        configuration.seed = seed
        configuration.outputFileBytes = outputFileBytes
        configuration.videoFollowsDuration = videoFollowsDuration
        configuration.fileExpirySeconds = fileExpirySeconds
        configuration.fileCutAfterBytes = fileCutAfterBytes
        configuration.webhookRetrySchedule = try SimCommand.list(webhookRetrySchedule).map { text in
            guard let seconds = Double(text) else { throw ValidationError("'\(text)' in --webhook-retry-schedule is not a number") }
            return seconds
        }
        configuration.webhookTimeout = webhookTimeout
        configuration.webhookUserID = webhookUserID
        if let hex = webhookKeySeed {
            guard let seed = Hex.bytes(hex) else { throw ValidationError("--webhook-key-seed must be hex digits") }
            configuration.webhookKeySeed = seed
        }
        do {
            try configuration.validate()
        } catch {
            throw ValidationError(error.message)
        }
        return configuration
    }

    /// `HOST:PORT` or `[IPv6]:PORT`.
    static func parseListen(_ text: String) throws -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]) else {
            throw ValidationError("--listen must be HOST:PORT, not '\(text)'")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw ValidationError("--listen needs a host, as in 127.0.0.1:9090") }
        return (host, port)
    }

    private static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { String($0.filter { $0 != " " }) }.filter { !$0.isEmpty }
    }
}
