/// Every setting of Spool, each declared once: the file reader, the environment reader, the flags' help, the
/// README's configuration table (`spool settings`) and the example file (`spool settings --example`) are made from
/// this list, in this order.
///
/// To add a setting: give `SpoolConfiguration` (or `TeamLimits`) a property with its default, add one line here,
/// then run `spool settings` and `spool settings --example` and paste their output over the README's table and
/// `config/spool.json` (the tests print what to paste when either is stale). Environment names are the
/// contract's; add one only where the contract (docs/API.md) names it.
package enum SpoolSettings {
    /// The settings of the whole process, per-team defaults included (as `teams.default.*`).
    package static let all: [Setting<SpoolConfiguration>] =
        general + team.map { $0.rooted(at: \.teams.defaults, keyPrefix: "teams.default.") }

    /// The settings outside `teams`.
    static let general: [Setting<SpoolConfiguration>] = [
        .init("listen", environment: "SPOOL_LISTEN", flag: "--listen", .text, at: \.listen,
              "host:port to serve on (IPv6 as `[::1]:8080`)"),
        .init("database", environment: "SPOOL_DB", flag: "--db", .text, at: \.database, "the SQLite file"),
        .init("database_url", environment: "SPOOL_DATABASE_URL", .optionalText, at: \.databaseURL, secret: true,
              "`postgres://user:password@host:port/db[?sslmode=…]`: run on PostgreSQL instead of SQLite (below)"),
        .init("replica_id", environment: "SPOOL_REPLICA_ID", .optionalText, at: \.replicaID,
              whenUnset: "`<host name>:<pid>`",
              "this process's name among replicas: the `replica` label of its metrics and `\"replica\"` in `/readyz`"),
        .init("public_url", environment: "SPOOL_PUBLIC_URL", .optionalText, at: \.publicURL,
              "where fal can reach Spool; turns on fal callbacks"),
        .init("admin_key", environment: "SPOOL_ADMIN_KEY", .optionalText, at: \.adminKey, secret: true,
              "an admin key accepted at start"),
        .init("log_format", environment: "SPOOL_LOG_FORMAT", flag: "--log-format", .word, at: \.logFormat,
              "`text` or `json` lines on stderr"),
        .init("log_level", environment: "SPOOL_LOG_LEVEL", flag: "--log-level", .word, at: \.logLevel,
              "`trace`, `debug`, `info`, `notice`, `warning`, `error` or `critical`"),
        .init("log_access", environment: "SPOOL_LOG_ACCESS", .word, at: \.logAccess,
              "access lines: `all` (one per request), `sample:N` (one request in N), `off`"),
        .init("models_dir", environment: "SPOOL_MODELS_DIR", .optionalText, at: \.modelsDirectory,
              whenUnset: "the one carried in the binary", "a folder of model files to use as the catalog"),
        .init("migrations_dir", environment: "SPOOL_MIGRATIONS_DIR", .optionalText, at: \.migrationsDirectory,
              whenUnset: "those carried in the binary", "a folder of migrations to use as the schema"),

        .init("fal.key", environment: "FAL_KEY", .optionalText, at: \.fal.key, secret: true,
              "fal API key; without one `serve` refuses to start unless given `--sim`"),
        .init("fal.queue_url", environment: "SPOOL_FAL_QUEUE_URL", .text, at: \.fal.queueURL, "fal's queue"),
        .init("fal.poll_interval_seconds", environment: "SPOOL_FAL_POLL_INTERVAL", SettingKind<Double>.number.orNull,
              at: \.fal.pollIntervalSeconds, whenUnset: "1, or 60 with callbacks",
              "shortest delay between a job's status polls, used right after it changes"),
        .init("fal.poll_max_interval_seconds", .number, at: \.fal.pollMaxIntervalSeconds,
              "longest delay between a job's status polls (see \"How jobs are followed\")"),
        .init("fal.max_status_calls_per_second", .number, at: \.fal.maxStatusCallsPerSecond,
              "status calls to fal per second, all jobs together; 0: no limit"),
        .init("fal.jwks_url", environment: "SPOOL_FAL_JWKS_URL", .text, at: \.fal.jwksURL,
              "fal's webhook signing keys"),
        .init("fal.request_timeout_seconds", .number, at: \.fal.requestTimeoutSeconds, "one call to fal"),
        .init("fal.result_retention_seconds", .number, at: \.fal.resultRetentionSeconds,
              "how long a completed run's result is fetched through transient failures (fal keeps results about "
                  + "this long)"),
        .init("fal.api_url", .optionalText, at: \.fal.apiURL,
              whenUnset: "`https://api.fal.ai` (the emulator under `--sim`)",
              "fal's platform API, where `delete_fal_copy` deletes fal's copy"),

        .init("dispatch.max_inflight", environment: "SPOOL_MAX_INFLIGHT", .wholeNumber(atLeast: 1),
              at: \.dispatch.maxInflight, "jobs at fal at once, all teams"),
        .init("dispatch.max_attempts", .wholeNumber(atLeast: 1), at: \.dispatch.maxAttempts,
              "submit attempts before `retries_exhausted` (with the default backoff, about 1.5 h of transient "
                  + "failures in a row)"),
        .init("dispatch.retry_base_seconds", .number, at: \.dispatch.retryBaseSeconds,
              "first submit retry delay, doubled each attempt (jittered)"),
        .init("dispatch.retry_max_seconds", .number, at: \.dispatch.retryMaxSeconds, "longest submit retry delay"),
        .init("dispatch.lease_seconds", .number, at: \.dispatch.leaseSeconds,
              "how long a claimed job is held before it is taken back; renewed while its submit runs, and at least "
                  + "twice `fal.request_timeout_seconds`"),

        .init("webhooks.retry_schedule_seconds", environment: "SPOOL_WEBHOOK_RETRY_SCHEDULE", .secondsList,
              at: \.webhooks.retrySchedule, "delays between delivery attempts"),
        .init("webhooks.allow_private", environment: "SPOOL_ALLOW_PRIVATE_WEBHOOKS", .flag,
              at: \.webhooks.allowPrivate, "allow loopback/private webhook targets"),
        .init("webhooks.timeout_seconds", .number, at: \.webhooks.timeoutSeconds, "one delivery attempt"),
        .init("webhooks.concurrency", .wholeNumber(), at: \.webhooks.concurrency, "deliveries in flight at once"),

        .init("sync.default_wait_seconds", .number, at: \.sync.defaultWaitSeconds,
              "how long a `Prefer: wait` request that names no time is held"),
        .init("sync.max_wait_seconds", .number, at: \.sync.maxWaitSeconds,
              "the longest hold a `Prefer: wait` request may ask for"),

        .init("http.max_body_bytes", .wholeNumber(), at: \.http.maxBodyBytes, "larger bodies get 413"),
        .init("http.header_timeout_seconds", .number, at: \.http.headerTimeoutSeconds,
              "time for a request's headers to arrive"),
        .init("http.idle_timeout_seconds", .number, at: \.http.idleTimeoutSeconds,
              "an idle keep-alive connection is closed after this"),
        .init("http.body_read_timeout_seconds", .number, at: \.http.bodyReadTimeoutSeconds,
              "time for a request's body to arrive"),
        .init("http.shutdown_grace_seconds", .number, at: \.http.shutdownGraceSeconds,
              "how long requests in flight get on SIGTERM"),
        .init("http.event_loops", .wholeNumber(), at: \.http.eventLoops, "HTTP event-loop threads; 0: one per core"),
        .init("http.event_stream_keepalive_seconds", .number, at: \.http.eventStreamKeepAliveSeconds,
              "seconds between comment lines on event streams"),

        .init("fal_surface.listen", environment: "SPOOL_FAL_LISTEN", .optionalText, at: \.falSurface.listen,
              whenUnset: "none (off)", "host:port of the fal-compatible surface for fal's own clients"),
        .init("fal_surface.public_url", environment: "SPOOL_FAL_PUBLIC_URL", .optionalText,
              at: \.falSurface.publicURL,
              "base of the URLs that surface hands out; else from `X-Forwarded-*` or `Host`"),
        .init("fal_surface.passthrough_endpoints", .textList, at: \.falSurface.passthroughEndpoints,
              whenUnset: "none (off)",
              "fal endpoint ids outside the catalog that surface submits unvalidated, priced 0 (see \"Using fal's "
                  + "clients with Spool\")"),

        .init("storage.backend", environment: "SPOOL_STORAGE_BACKEND", .choice, at: \.storageBackend,
              "where output files are kept: a local folder, or an S3-compatible store (see \"Output files on S3\")"),
        .init("storage.path", environment: "SPOOL_STORAGE_PATH", .optionalText, at: \.storage.path,
              whenUnset: "`files/` beside the database", "the folder output files are copied into"),
        .init("storage.shared", .flag, at: \.storage.shared,
              "the folder is a mount every replica shares (declared, not detected)"),
        .init("storage.max_file_bytes", .wholeNumber(), at: \.storage.maxFileBytes,
              "larger files stay at fal; their entry says why"),
        .init("storage.rewrite_result_urls", .flag, at: \.storage.rewriteResultURLs,
              "point the URLs inside `result` at Spool's copies instead of fal's"),
        .init("storage.retention_days", SettingKind<Double>.number.orNull, at: \.storage.retentionDays,
              whenUnset: "none (keep)", "days a stored file is kept before the sweeper deletes it"),
        .init("storage.concurrency", .wholeNumber(atLeast: 1), at: \.storage.concurrency, "files copied at once"),
        .init("storage.sweep_interval_seconds", .number, at: \.storage.sweepIntervalSeconds,
              "seconds between retention sweeps"),
        .init(nil, environment: "SPOOL_STORAGE_LINK_SECRET", .optionalText, at: \.storage.linkSecret,
              whenUnset: "generated once, kept in the database", secret: true, "the key of signed file links"),
        .init("storage.s3.endpoint", environment: "SPOOL_STORAGE_S3_ENDPOINT", .optionalText,
              at: \.s3Storage.endpoint, whenUnset: "AWS, `https://s3.REGION.amazonaws.com`",
              "`scheme://host[:port]` of the S3 store"),
        .init("storage.s3.bucket", environment: "SPOOL_STORAGE_S3_BUCKET", .optionalText, at: \.s3Storage.bucket,
              whenUnset: "none (required with `s3`)", "the bucket, which must exist"),
        .init("storage.s3.region", environment: "SPOOL_STORAGE_S3_REGION", .text, at: \.s3Storage.region,
              "the signing region (`auto` for R2)"),
        .init("storage.s3.path_style", .flag, at: \.s3Storage.pathStyle,
              "`https://host/bucket/key` instead of `https://bucket.host/key`; MinIO and other local servers need "
                  + "`true`"),
        .init("storage.s3.multipart_threshold_bytes", .wholeNumber(), at: \.s3Storage.multipartThresholdBytes,
              "files this large or larger go up as a multipart upload (at least 5 MiB)"),
        .init("storage.s3.part_size_bytes", .wholeNumber(), at: \.s3Storage.partSizeBytes,
              "each part (at least 5 MiB; larger when a file would need more than 10,000 parts)"),
        S3StorageSettings.credentialsSetting,
    ]

    /// The settings of one team, read in each `teams.NAME` block of the file; their environment variables set the
    /// defaults of every team.
    static let team: [Setting<SpoolConfiguration.TeamLimits>] = [
        .init("max_inflight", environment: "SPOOL_TEAM_MAX_INFLIGHT", SettingKind<Int>.wholeNumber().orNull,
              at: \.maxInflight, "per-team cap on jobs at fal"),
        .init("max_queued", environment: "SPOOL_TEAM_MAX_QUEUED", SettingKind<Int>.wholeNumber().orNull,
              at: \.maxQueued, "per-team cap on waiting jobs (429 `quota_exceeded`)"),
        .init("daily_budget_usd", environment: "SPOOL_TEAM_DAILY_BUDGET_USD", SettingKind<Double>.number.orNull,
              at: \.dailyBudgetUSD,
              "per-team spend per UTC day, billed where fal said, estimated elsewhere (429 `budget_exceeded`)"),
        .init("fal_output_expiry_seconds", SettingKind<Int>.wholeNumber(atLeast: 1).orNull,
              at: \.falOutputExpirySeconds,
              "how long fal keeps the team's output files on its CDN (`X-Fal-Object-Lifecycle-Preference`); none: "
                  + "the fal account's setting, forever by default"),
        .init("fal_store_io", SettingKind<Bool>.flag.orNull, at: \.falStoreIO,
              "`false` sends `X-Fal-Store-IO: 0`: fal keeps inputs and outputs about an hour instead of the "
                  + "account's 30 days"),
        .init("fal_surface_cancels", SettingKind<SpoolConfiguration.FalSurfaceCancels>.choice.orNull,
              at: \.falSurfaceCancels,
              "`ignore`: cancels on the fal surface (fal's clients send one when their own timeout ends) are "
                  + "answered as fal does and the job runs on"),
        .init("delete_fal_copy", SettingKind<Bool>.flag.orNull, at: \.deleteFalCopy,
              "once Spool holds every file of a job, delete fal's copy of its payloads and files"),
    ]
}
