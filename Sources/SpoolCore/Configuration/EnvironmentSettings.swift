/// The environment variables that override settings; their names are fixed by the contract.
enum EnvironmentSettings {
    static func apply(_ environment: [String: String], to configuration: inout SpoolConfiguration) throws(ConfigurationError) {
        func value(_ name: String) -> String? {
            guard let text = environment[name]?.trimmingCharacters(in: " \t"), !text.isEmpty else { return nil }
            return text
        }
        func number(_ name: String) throws(ConfigurationError) -> Double? {
            guard let text = value(name) else { return nil }
            guard let number = Double(text), number.isFinite, number >= 0 else {
                throw ConfigurationError("\(name) must be a non-negative number, not \(text)")
            }
            return number
        }
        func integer(_ name: String) throws(ConfigurationError) -> Int? {
            guard let text = value(name) else { return nil }
            guard let number = Int(text), number >= 0 else {
                throw ConfigurationError("\(name) must be a non-negative whole number, not \(text)")
            }
            return number
        }

        if let text = value("SPOOL_LISTEN") { configuration.listen = text }
        if let text = value("SPOOL_DB") { configuration.database = text }
        if let text = value("SPOOL_DATABASE_URL") { configuration.databaseURL = text }
        if let text = value("SPOOL_REPLICA_ID") { configuration.replicaID = text }
        if let text = value("FAL_KEY") { configuration.fal.key = text }
        if let text = value("SPOOL_FAL_QUEUE_URL") { configuration.fal.queueURL = text }
        if let text = value("SPOOL_PUBLIC_URL") { configuration.publicURL = text }
        if let seconds = try number("SPOOL_FAL_POLL_INTERVAL") { configuration.fal.pollIntervalSeconds = seconds }
        if let count = try integer("SPOOL_MAX_INFLIGHT") { configuration.dispatch.maxInflight = count }
        if let text = value("SPOOL_WEBHOOK_RETRY_SCHEDULE") {
            configuration.webhooks.retrySchedule = try parseSchedule(text, setting: "SPOOL_WEBHOOK_RETRY_SCHEDULE")
        }
        if let text = value("SPOOL_ALLOW_PRIVATE_WEBHOOKS") {
            configuration.webhooks.allowPrivate = try parseBool(text, setting: "SPOOL_ALLOW_PRIVATE_WEBHOOKS")
        }
        if let text = value("SPOOL_FAL_LISTEN") { configuration.falSurface.listen = text }
        if let text = value("SPOOL_FAL_PUBLIC_URL") { configuration.falSurface.publicURL = text }
        if let text = value("SPOOL_ADMIN_KEY") { configuration.adminKey = text }
        if let text = value("SPOOL_FAL_JWKS_URL") { configuration.fal.jwksURL = text }
        if let text = value("SPOOL_LOG_FORMAT") { configuration.logFormat = text.lowercased() }
        if let text = value("SPOOL_LOG_LEVEL") { configuration.logLevel = text.lowercased() }
        if let text = value("SPOOL_LOG_ACCESS") { configuration.logAccess = text.lowercased() }
        if let text = value("SPOOL_MODELS_DIR") { configuration.modelsDirectory = text }
        if let text = value("SPOOL_MIGRATIONS_DIR") { configuration.migrationsDirectory = text }
        if let text = value("SPOOL_STORAGE_PATH") { configuration.storage.path = text }
        if let text = value("SPOOL_STORAGE_LINK_SECRET") { configuration.storage.linkSecret = text }
        if let count = try integer("SPOOL_TEAM_MAX_INFLIGHT") { configuration.teams.defaults.maxInflight = count }
        if let count = try integer("SPOOL_TEAM_MAX_QUEUED") { configuration.teams.defaults.maxQueued = count }
        if let amount = try number("SPOOL_TEAM_DAILY_BUDGET_USD") { configuration.teams.defaults.dailyBudgetUSD = amount }
        try S3StorageSettings.apply(environment: environment, to: &configuration)
    }

    /// `0,5,300` → [0, 5, 300].
    static func parseSchedule(_ text: String, setting: String) throws(ConfigurationError) -> [Double] {
        var schedule: [Double] = []
        for part in text.split(separator: ",") {
            guard let seconds = Double(part.trimmingCharacters(in: " ")), seconds.isFinite, seconds >= 0 else {
                throw ConfigurationError("\(setting) must be comma-separated seconds, not \(text)")
            }
            schedule.append(seconds)
        }
        guard !schedule.isEmpty else { throw ConfigurationError("\(setting) must name at least one delay") }
        return schedule
    }

    static func parseBool(_ text: String, setting: String) throws(ConfigurationError) -> Bool {
        switch text.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw ConfigurationError("\(setting) must be true or false, not \(text)")
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing characters from `set`.
    func trimmingCharacters(in set: String) -> String {
        let characters = Set(set)
        guard let first = firstIndex(where: { !characters.contains($0) }) else { return "" }
        let last = lastIndex(where: { !characters.contains($0) })!
        return String(self[first...last])
    }
}
