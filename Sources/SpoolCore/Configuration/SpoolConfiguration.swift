/// Every setting of a Spool process, with its default.
///
/// Settings come from layers, each overriding the one before: these defaults, a JSON file (`config/spool.json`),
/// the environment variables named in the contract, and command-line flags. `SpoolSettings` declares, once for each
/// setting, its file key, its environment variable and where it lands here; `ConfigurationLoader` applies the file
/// and the environment, and the command line applies its own flags last.
package struct SpoolConfiguration: Sendable, Equatable {
    /// `host:port` to serve on.
    package var listen = "127.0.0.1:8080"
    /// The SQLite file, used when `databaseURL` is not set.
    package var database = "data/spool.db"
    /// `postgres://user:password@host:port/database`: run on PostgreSQL instead of SQLite.
    package var databaseURL: String?
    /// This process's name among replicas, on its metrics and `/readyz`; by default
    /// `<host name>:<process id>`.
    package var replicaID: String?
    /// The URL at which fal can reach this gateway; set, it turns on fal webhooks.
    package var publicURL: String?
    /// An admin key accepted at start.
    package var adminKey: String?
    /// `text` or `json`.
    package var logFormat = "text"
    /// trace, debug, info, notice, warning, error or critical.
    package var logLevel = "info"
    /// Access lines: `all` (one per request), `sample:N` (one request in N) or `off`.
    package var logAccess = "all"
    /// A folder of model files to use instead of the catalog carried in the binary.
    package var modelsDirectory: String?
    /// A folder of migrations to use instead of those carried in the binary.
    package var migrationsDirectory: String?

    package var http = HTTP()
    package var fal = Fal()
    package var dispatch = Dispatch()
    package var sync = Sync()
    package var webhooks = Webhooks()
    package var teams = Teams()
    package var falSurface = FalSurface()
    /// Where output files are kept, and the S3 store when it is `s3`.
    package var storageBackend = StorageBackendKind.local
    package var s3Storage = S3StorageSettings()
    package var storage = Storage()

    package init() {}

    /// The HTTP server's limits and timeouts.
    package struct HTTP: Sendable, Equatable {
        package var maxBodyBytes = 1024 * 1024
        package var headerTimeoutSeconds = 10.0
        package var idleTimeoutSeconds = 60.0
        package var bodyReadTimeoutSeconds = 30.0
        package var shutdownGraceSeconds = 10.0
        /// Event-loop threads; 0 means one per core.
        package var eventLoops = 0
        /// Seconds between keep-alive comments on event streams.
        package var eventStreamKeepAliveSeconds = 15.0
        package init() {}
    }

    /// How Spool talks to fal.
    package struct Fal: Sendable, Equatable {
        /// fal API key. Without one, `spool serve` refuses to start unless `--sim` is given.
        package var key: String?
        /// Whether the queue at `queueURL` is Spool's built-in emulator (`spool serve --sim`): jobs then run on this
        /// machine at no cost and their results are samples. Set by the command line, not by files or variables.
        package var emulated = false
        /// Base URL of fal's queue.
        package var queueURL = "https://queue.fal.run"
        /// Seconds from a job's change to its next status poll, the shortest delay between polls; nil means 1
        /// without fal webhooks, 60 with.
        package var pollIntervalSeconds: Double?
        /// The longest delay between two status polls of a job: polls slow down
        /// while a job does not change, up to this (README, "How jobs are followed").
        package var pollMaxIntervalSeconds = 30.0
        /// Status calls to fal per second at most, over all followed jobs;
        /// 0 means no limit.
        package var maxStatusCallsPerSecond = 100.0
        /// Where fal publishes its webhook signing keys.
        package var jwksURL = "https://rest.fal.ai/.well-known/jwks.json"
        /// Timeout of one call to fal.
        package var requestTimeoutSeconds = 30.0
        /// Base URL of fal's platform API, where a team with `delete_fal_copy` has fal's copy of
        /// a job's payloads deleted once Spool holds its files; nil means `https://api.fal.ai` (the emulator's
        /// own address under `--sim`).
        package var apiURL: String?
        /// How long fal keeps a completed run's result: a result fetch that meets
        /// transient failures is retried for this long after fal first said COMPLETED.
        package var resultRetentionSeconds = 3600.0
        package init() {}
    }

    /// The worker pool that hands jobs to fal.
    package struct Dispatch: Sendable, Equatable {
        /// Jobs at fal at once, over all teams.
        package var maxInflight = 16
        /// Submit attempts before a job fails with `retries_exhausted`.
        package var maxAttempts = 25
        /// First retry delay; doubled each attempt, with jitter.
        package var retryBaseSeconds = 2.0
        /// Longest retry delay.
        package var retryMaxSeconds = 300.0
        /// How long a claimed job belongs to this process before another may take it back.
        package var leaseSeconds = 60.0
        package init() {}
    }

    /// Sync mode (`Prefer: wait`).
    package struct Sync: Sendable, Equatable {
        /// Seconds to hold a `Prefer: wait` request that names no time.
        package var defaultWaitSeconds = 900.0
        /// Longest hold any request may ask for.
        package var maxWaitSeconds = 900.0
        package init() {}
    }

    /// Downstream webhook deliveries.
    package struct Webhooks: Sendable, Equatable {
        /// Seconds between attempts.
        package var retrySchedule: [Double] = [0, 5, 300, 1800, 7200, 18000, 36000, 36000]
        /// Allow webhook URLs on loopback and private addresses.
        package var allowPrivate = false
        /// Timeout of one delivery attempt.
        package var timeoutSeconds = 15.0
        /// Deliveries in flight at once.
        package var concurrency = 32
        package init() {}
    }

    /// The fal-compatible surface for fal's own clients (README, "Using fal's clients with Spool").
    package struct FalSurface: Sendable, Equatable {
        /// `host:port` of its own listener; nil leaves the surface off.
        package var listen: String?
        /// The base URL clients reach the surface at, used in the URLs it hands out;
        /// when unset they are built from `X-Forwarded-Proto`/`X-Forwarded-Host` or `Host`.
        package var publicURL: String?
        /// fal endpoint ids outside the catalog that the surface submits anyway (empty by
        /// default): the input goes to fal as sent, unvalidated, and the job is priced as unknown (0 USD).
        package var passthroughEndpoints: [String] = []
        package init() {}
    }

    /// What the fal surface does with a team's `PUT …/cancel`. fal's Python client sends
    /// one when its own `subscribe(client_timeout=)` runs out, the same request as a deliberate cancel.
    package enum FalSurfaceCancels: String, Sendable, Equatable, CaseIterable {
        /// The job is cancelled (the default).
        case honour
        /// The cancel is answered as fal does and the job runs on; a client's `X-Fal-Request-Timeout`, which
        /// fal's Python client sets to its `client_timeout`, is not taken as the job's deadline either.
        case ignore
    }

    /// Per-team limits and fal settings: a default for every team, and values for named teams.
    package struct Teams: Sendable, Equatable {
        package var defaults = TeamLimits(falStoreIO: true, falSurfaceCancels: .honour, deleteFalCopy: false)
        package var overrides: [String: TeamLimits] = [:]
        package init() {}

        /// The settings in force for `team`: its own values where set, the defaults elsewhere.
        package func limits(for team: String) -> TeamLimits {
            guard let own = overrides[team] else { return defaults }
            return TeamLimits(
                maxInflight: own.maxInflight ?? defaults.maxInflight,
                maxQueued: own.maxQueued ?? defaults.maxQueued,
                dailyBudgetUSD: own.dailyBudgetUSD ?? defaults.dailyBudgetUSD,
                falOutputExpirySeconds: own.falOutputExpirySeconds ?? defaults.falOutputExpirySeconds,
                falStoreIO: own.falStoreIO ?? defaults.falStoreIO,
                falSurfaceCancels: own.falSurfaceCancels ?? defaults.falSurfaceCancels,
                deleteFalCopy: own.deleteFalCopy ?? defaults.deleteFalCopy)
        }
    }

    /// Caps and fal settings for one team; nil means no cap, or fal's default.
    package struct TeamLimits: Sendable, Equatable {
        /// Jobs at fal at once.
        package var maxInflight: Int?
        /// Jobs waiting.
        package var maxQueued: Int?
        /// Spend per UTC day: fal's billed cost where known, the estimate before.
        package var dailyBudgetUSD: Double?
        /// How long fal keeps the output files on its public CDN, sent as `X-Fal-Object-Lifecycle-Preference`;
        /// nil sends nothing, and fal keeps them as the account says (forever by default).
        package var falOutputExpirySeconds: Int?
        /// Whether fal keeps a copy of inputs and outputs for the account's storage period;
        /// false sends `X-Fal-Store-IO: 0`. True by default; nil (a team's own settings) takes the default.
        package var falStoreIO: Bool?
        /// What the fal surface does with the team's cancels: `honour` by default; nil (a
        /// team's own settings) takes the default.
        package var falSurfaceCancels: FalSurfaceCancels?
        /// Whether fal's copy of a job's payloads and output files is deleted once Spool holds every file of the
        /// job; false by default.
        package var deleteFalCopy: Bool?

        package init(
            maxInflight: Int? = nil, maxQueued: Int? = nil, dailyBudgetUSD: Double? = nil,
            falOutputExpirySeconds: Int? = nil, falStoreIO: Bool? = nil, falSurfaceCancels: FalSurfaceCancels? = nil,
            deleteFalCopy: Bool? = nil
        ) {
            self.maxInflight = maxInflight
            self.maxQueued = maxQueued
            self.dailyBudgetUSD = dailyBudgetUSD
            self.falOutputExpirySeconds = falOutputExpirySeconds
            self.falStoreIO = falStoreIO
            self.falSurfaceCancels = falSurfaceCancels
            self.deleteFalCopy = deleteFalCopy
        }
    }

    /// The shortest delay between status polls in force: the setting, or 1 (60 when fal calls back).
    package var effectivePollInterval: Double {
        fal.pollIntervalSeconds ?? (publicURL == nil ? 1 : 60)
    }

    /// The listen address split into host and port.
    package func listenAddress() throws(ConfigurationError) -> (host: String, port: Int) {
        try ConfigurationLoader.splitHostPort(listen, setting: "listen")
    }

    /// The fal surface's listen address split into host and port, or nil when the surface is off.
    package func falSurfaceAddress() throws(ConfigurationError) -> (host: String, port: Int)? {
        guard let listen = falSurface.listen else { return nil }
        return try ConfigurationLoader.splitHostPort(listen, setting: "fal_surface.listen")
    }
}

/// A setting that could not be read, naming where it came from.
package struct ConfigurationError: Error, Sendable, CustomStringConvertible, Equatable {
    package let message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}
