import SpoolJSON

/// Reads the JSON configuration file into a `SpoolConfiguration`. Every key is optional; unknown keys are errors.
enum FileSettings {
    static func apply(_ root: JSONObject, to configuration: inout SpoolConfiguration, source: String) throws(ConfigurationError) {
        var reader = SectionReader(object: root, path: source + ":")
        try reader.string("listen") { configuration.listen = $0 }
        try reader.string("database") { configuration.database = $0 }
        try reader.optionalString("database_url") { configuration.databaseURL = $0 }
        try reader.optionalString("replica_id") { configuration.replicaID = $0 }
        try reader.optionalString("public_url") { configuration.publicURL = $0 }
        try reader.optionalString("admin_key") { configuration.adminKey = $0 }
        try reader.string("log_format") { configuration.logFormat = $0 }
        try reader.string("log_level") { configuration.logLevel = $0 }
        try reader.string("log_access") { configuration.logAccess = $0 }
        try reader.optionalString("models_dir") { configuration.modelsDirectory = $0 }
        try reader.optionalString("migrations_dir") { configuration.migrationsDirectory = $0 }

        try reader.section("http") { (http: inout SectionReader) throws(ConfigurationError) in
            try http.integer("max_body_bytes") { configuration.http.maxBodyBytes = $0 }
            try http.number("header_timeout_seconds") { configuration.http.headerTimeoutSeconds = $0 }
            try http.number("idle_timeout_seconds") { configuration.http.idleTimeoutSeconds = $0 }
            try http.number("body_read_timeout_seconds") { configuration.http.bodyReadTimeoutSeconds = $0 }
            try http.number("shutdown_grace_seconds") { configuration.http.shutdownGraceSeconds = $0 }
            try http.integer("event_loops") { configuration.http.eventLoops = $0 }
            try http.number("event_stream_keepalive_seconds") { configuration.http.eventStreamKeepAliveSeconds = $0 }
        }
        try reader.section("fal") { (fal: inout SectionReader) throws(ConfigurationError) in
            try fal.optionalString("key") { configuration.fal.key = $0 }
            try fal.string("queue_url") { configuration.fal.queueURL = $0 }
            try fal.optionalNumber("poll_interval_seconds") { configuration.fal.pollIntervalSeconds = $0 }
            try fal.number("poll_max_interval_seconds") { configuration.fal.pollMaxIntervalSeconds = $0 }
            try fal.number("max_status_calls_per_second") { configuration.fal.maxStatusCallsPerSecond = $0 }
            try fal.string("jwks_url") { configuration.fal.jwksURL = $0 }
            try fal.number("request_timeout_seconds") { configuration.fal.requestTimeoutSeconds = $0 }
            try fal.number("result_retention_seconds") { configuration.fal.resultRetentionSeconds = $0 }
            try fal.optionalString("api_url") { configuration.fal.apiURL = $0 }
        }
        try reader.section("dispatch") { (dispatch: inout SectionReader) throws(ConfigurationError) in
            try dispatch.integer("max_inflight") { configuration.dispatch.maxInflight = $0 }
            try dispatch.integer("max_attempts") { configuration.dispatch.maxAttempts = $0 }
            try dispatch.number("retry_base_seconds") { configuration.dispatch.retryBaseSeconds = $0 }
            try dispatch.number("retry_max_seconds") { configuration.dispatch.retryMaxSeconds = $0 }
            try dispatch.number("lease_seconds") { configuration.dispatch.leaseSeconds = $0 }
        }
        try reader.section("sync") { (sync: inout SectionReader) throws(ConfigurationError) in
            try sync.number("default_wait_seconds") { configuration.sync.defaultWaitSeconds = $0 }
            try sync.number("max_wait_seconds") { configuration.sync.maxWaitSeconds = $0 }
        }
        try reader.section("webhooks") { (webhooks: inout SectionReader) throws(ConfigurationError) in
            try webhooks.numbers("retry_schedule_seconds") { configuration.webhooks.retrySchedule = $0 }
            try webhooks.bool("allow_private") { configuration.webhooks.allowPrivate = $0 }
            try webhooks.number("timeout_seconds") { configuration.webhooks.timeoutSeconds = $0 }
            try webhooks.integer("concurrency") { configuration.webhooks.concurrency = $0 }
        }
        try reader.section("fal_surface") { (surface: inout SectionReader) throws(ConfigurationError) in
            try surface.optionalString("listen") { configuration.falSurface.listen = $0 }
            try surface.optionalString("public_url") { configuration.falSurface.publicURL = $0 }
            try surface.strings("passthrough_endpoints") { configuration.falSurface.passthroughEndpoints = $0 }
        }
        try reader.section("storage") { (storage: inout SectionReader) throws(ConfigurationError) in
            try S3StorageSettings.read(&storage, into: &configuration)
            try storage.optionalString("path") { configuration.storage.path = $0 }
            try storage.bool("shared") { configuration.storage.shared = $0 }
            try storage.integer("max_file_bytes") { configuration.storage.maxFileBytes = Int64($0) }
            try storage.bool("rewrite_result_urls") { configuration.storage.rewriteResultURLs = $0 }
            try storage.optionalNumber("retention_days") { configuration.storage.retentionDays = $0 }
            try storage.integer("concurrency") { configuration.storage.concurrency = $0 }
            try storage.number("sweep_interval_seconds") { configuration.storage.sweepIntervalSeconds = $0 }
        }
        if let teams = root["teams"] {
            guard let object = teams.objectValue else { throw ConfigurationError("\(source): teams must be an object") }
            for (team, value) in object {
                guard let limitsObject = value.objectValue else {
                    throw ConfigurationError("\(source): teams.\(team) must be an object")
                }
                // The defaults start from the built-in ones (payloads kept); a team's own values start empty.
                var limits = team == "default" ? configuration.teams.defaults : SpoolConfiguration.TeamLimits()
                var limitsReader = SectionReader(object: limitsObject, path: "\(source): teams.\(team).")
                try limitsReader.optionalInteger("max_inflight") { limits.maxInflight = $0 }
                try limitsReader.optionalInteger("max_queued") { limits.maxQueued = $0 }
                try limitsReader.optionalNumber("daily_budget_usd") { limits.dailyBudgetUSD = $0 }
                try limitsReader.optionalInteger("fal_output_expiry_seconds") { limits.falOutputExpirySeconds = $0 }
                if limits.falOutputExpirySeconds == 0 {
                    throw ConfigurationError("\(source): teams.\(team).fal_output_expiry_seconds must be at least 1 or null")
                }
                try limitsReader.optionalBool("fal_store_io") { limits.falStoreIO = $0 }
                try limitsReader.optionalChoice("fal_surface_cancels") { limits.falSurfaceCancels = $0 }
                try limitsReader.optionalBool("delete_fal_copy") { limits.deleteFalCopy = $0 }
                try limitsReader.finish()
                if team == "default" { configuration.teams.defaults = limits } else { configuration.teams.overrides[team] = limits }
            }
        }
        reader.consumed.insert("teams")
        try reader.finish()
    }
}

/// Reads typed members of one object of the configuration file, remembering which keys it saw so that the
/// rest can be reported as unknown.
struct SectionReader {
    let object: JSONObject
    let path: String
    var consumed: Set<String> = []

    init(object: JSONObject, path: String) {
        self.object = object
        self.path = path
    }

    private mutating func take(_ key: String) -> JSONValue? {
        consumed.insert(key)
        return object[key]
    }

    private func fail(_ key: String, _ expected: String) -> ConfigurationError {
        ConfigurationError("\(path) \(key) must be \(expected)")
    }

    mutating func string(_ key: String, _ apply: (String) -> Void) throws(ConfigurationError) {
        guard let value = take(key) else { return }
        guard let text = value.stringValue else { throw fail(key, "a string") }
        apply(text)
    }

    mutating func optionalString(_ key: String, _ apply: (String?) -> Void) throws(ConfigurationError) {
        guard let value = take(key) else { return }
        if value.isNull { return apply(nil) }
        guard let text = value.stringValue else { throw fail(key, "a string or null") }
        apply(text.isEmpty ? nil : text)
    }

    mutating func number(_ key: String, _ apply: (Double) -> Void) throws(ConfigurationError) {
        guard let value = take(key) else { return }
        guard let number = value.doubleValue, number >= 0 else { throw fail(key, "a non-negative number") }
        apply(number)
    }

    mutating func optionalNumber(_ key: String, _ apply: (Double?) -> Void) throws(ConfigurationError) {
        guard let value = take(key) else { return }
        if value.isNull { return apply(nil) }
        guard let number = value.doubleValue, number >= 0 else { throw fail(key, "a non-negative number or null") }
        apply(number)
    }

    mutating func integer(_ key: String, _ apply: (Int) -> Void) throws(ConfigurationError) {
        guard let value = take(key) else { return }
        guard let number = value.integerValue, number >= 0 else { throw fail(key, "a non-negative whole number") }
        apply(Int(number))
    }

    mutating func optionalInteger(_ key: String, _ apply: (Int?) -> Void) throws(ConfigurationError) {
        guard let value = take(key) else { return }
        if value.isNull { return apply(nil) }
        guard let number = value.integerValue, number >= 0 else { throw fail(key, "a non-negative whole number or null") }
        apply(Int(number))
    }

    mutating func bool(_ key: String, _ apply: (Bool) -> Void) throws(ConfigurationError) {
        guard let value = take(key) else { return }
        guard let flag = value.boolValue else { throw fail(key, "true or false") }
        apply(flag)
    }

    mutating func optionalBool(_ key: String, _ apply: (Bool?) -> Void) throws(ConfigurationError) {
        guard let value = take(key) else { return }
        if value.isNull { return apply(nil) }
        guard let flag = value.boolValue else { throw fail(key, "true, false or null") }
        apply(flag)
    }

    mutating func numbers(_ key: String, _ apply: ([Double]) -> Void) throws(ConfigurationError) {
        guard let value = take(key) else { return }
        guard let items = value.arrayValue, !items.isEmpty else { throw fail(key, "a non-empty array of numbers") }
        var numbers: [Double] = []
        for item in items {
            guard let number = item.doubleValue, number >= 0 else { throw fail(key, "a non-empty array of numbers") }
            numbers.append(number)
        }
        apply(numbers)
    }

    /// An array of strings, empty allowed.
    mutating func strings(_ key: String, _ apply: ([String]) -> Void) throws(ConfigurationError) {
        guard let value = take(key) else { return }
        guard let items = value.arrayValue else { throw fail(key, "an array of strings") }
        var strings: [String] = []
        for item in items {
            guard let text = item.stringValue, !text.isEmpty else { throw fail(key, "an array of strings") }
            strings.append(text)
        }
        apply(strings)
    }

    /// One of `Choice`'s raw values, or null.
    mutating func optionalChoice<Choice: RawRepresentable & CaseIterable>(
        _ key: String, _ apply: (Choice?) -> Void
    ) throws(ConfigurationError) where Choice.RawValue == String {
        guard let value = take(key) else { return }
        if value.isNull { return apply(nil) }
        guard let choice = value.stringValue.flatMap(Choice.init(rawValue:)) else {
            throw fail(key, Choice.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ") + " or null")
        }
        apply(choice)
    }

    mutating func section(_ key: String, _ read: (inout SectionReader) throws(ConfigurationError) -> Void) throws(ConfigurationError) {
        guard let value = take(key) else { return }
        guard let object = value.objectValue else { throw fail(key, "an object") }
        var reader = SectionReader(object: object, path: "\(path) \(key).")
        try read(&reader)
        try reader.finish()
    }

    /// Fails on the first key that no reader asked for.
    func finish() throws(ConfigurationError) {
        if let unknown = object.keys.first(where: { !consumed.contains($0) }) {
            throw ConfigurationError("\(path) unknown setting \(unknown)")
        }
    }
}
