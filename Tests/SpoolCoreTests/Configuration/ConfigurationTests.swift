import SpoolTestSupport
import Testing
@testable import SpoolCore

@Suite("Configuration: defaults, file, environment")
struct ConfigurationTests {
    static let shippedFile = RepositoryPaths.root + "/config/spool.json"

    @Test("the shipped config/spool.json states exactly the built-in defaults")
    func shippedFileMatchesDefaults() throws {
        let loaded = try ConfigurationLoader.load(file: Self.shippedFile, fileMustExist: true, environment: [:])
        #expect(loaded == SpoolConfiguration())
    }

    @Test("environment variables override the file, with the contract's names")
    func environmentOverrides() throws {
        let loaded = try ConfigurationLoader.load(
            file: Self.shippedFile,
            environment: [
                "SPOOL_LISTEN": "0.0.0.0:9000", "SPOOL_DB": "/tmp/x.db", "FAL_KEY": "k", "SPOOL_MAX_INFLIGHT": "3",
                "SPOOL_WEBHOOK_RETRY_SCHEDULE": "0, 1,2.5", "SPOOL_ALLOW_PRIVATE_WEBHOOKS": "true",
                "SPOOL_FAL_POLL_INTERVAL": "0.2", "SPOOL_TEAM_MAX_QUEUED": "7", "SPOOL_TEAM_DAILY_BUDGET_USD": "12.5",
                "SPOOL_LOG_FORMAT": "JSON", "SPOOL_PUBLIC_URL": "http://gw.example:8080",
            ])
        #expect(try loaded.listenAddress() == ("0.0.0.0", 9000))
        #expect(loaded.database == "/tmp/x.db")
        #expect(loaded.fal.key == "k")
        #expect(loaded.dispatch.maxInflight == 3)
        #expect(loaded.webhooks.retrySchedule == [0, 1, 2.5])
        #expect(loaded.webhooks.allowPrivate)
        #expect(loaded.effectivePollInterval == 0.2)
        #expect(loaded.teams.limits(for: "any").maxQueued == 7)
        #expect(loaded.teams.limits(for: "any").dailyBudgetUSD == 12.5)
        #expect(loaded.logFormat == "json")
    }

    @Test("poll interval defaults to 1 s, or 60 s when fal calls back")
    func pollDefaults() throws {
        #expect(SpoolConfiguration().effectivePollInterval == 1)
        var withWebhooks = SpoolConfiguration()
        withWebhooks.publicURL = "https://spool.example"
        #expect(withWebhooks.effectivePollInterval == 60)
    }

    @Test("bad values are refused with the setting's name", arguments: [
        ["SPOOL_LISTEN": "nonsense"], ["SPOOL_MAX_INFLIGHT": "-1"], ["SPOOL_ALLOW_PRIVATE_WEBHOOKS": "maybe"],
        ["SPOOL_WEBHOOK_RETRY_SCHEDULE": "1,x"], ["SPOOL_LOG_FORMAT": "xml"], ["SPOOL_MAX_INFLIGHT": "0"],
    ])
    func badEnvironment(_ environment: [String: String]) {
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.load(file: nil, environment: environment) }
    }

    @Test("per-team values in the file override the defaults for that team only")
    func teamOverrides() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/spool.json"
        try writeFile(path, #"{"teams": {"default": {"max_queued": 10}, "marketing": {"max_inflight": 2}}}"#)
        let loaded = try ConfigurationLoader.load(file: path, environment: [:])
        #expect(loaded.teams.limits(for: "marketing") == .init(maxInflight: 2, maxQueued: 10, falStoreIO: true, falSurfaceCancels: .honour, deleteFalCopy: false))
        #expect(loaded.teams.limits(for: "research") == .init(maxQueued: 10, falStoreIO: true, falSurfaceCancels: .honour, deleteFalCopy: false))
    }

    @Test("per-team fal retention settings: payloads kept and no expiry by default, a team's own values where set")
    func teamFalSettings() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/spool.json"
        try writeFile(path, #"{"teams": {"default": {"fal_output_expiry_seconds": 86400}, "vault": {"fal_store_io": false, "fal_output_expiry_seconds": 600}}}"#)
        let loaded = try ConfigurationLoader.load(file: path, environment: [:])
        #expect(loaded.teams.limits(for: "vault") == .init(falOutputExpirySeconds: 600, falStoreIO: false, falSurfaceCancels: .honour, deleteFalCopy: false))
        #expect(loaded.teams.limits(for: "research") == .init(falOutputExpirySeconds: 86_400, falStoreIO: true, falSurfaceCancels: .honour, deleteFalCopy: false))
        #expect(SpoolConfiguration().teams.limits(for: "any") == .init(falStoreIO: true, falSurfaceCancels: .honour, deleteFalCopy: false))
        try writeFile(path, #"{"teams": {"vault": {"fal_output_expiry_seconds": 0}}}"#)
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.load(file: path, environment: [:]) }
        try writeFile(path, #"{"teams": {"vault": {"fal_store_io": "no"}}}"#)
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.load(file: path, environment: [:]) }
    }

    @Test("an unknown key in the file is an error that names it")
    func unknownKey() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/spool.json"
        try writeFile(path, #"{"http": {"max_body_byte": 10}}"#)
        #expect {
            try ConfigurationLoader.load(file: path, environment: [:])
        } throws: { error in
            (error as? ConfigurationError)?.message.contains("max_body_byte") == true
        }
    }
}
