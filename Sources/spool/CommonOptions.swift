import ArgumentParser
import Logging
import SpoolCore

/// Options every command that reads settings accepts.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "Configuration file (default: config/spool.json beside the binary, if present).")
    var config: String?

    @Option(name: .long, help: "SQLite database file (overrides SPOOL_DB).")
    var db: String?

    @Option(name: .long, help: "trace, debug, info, notice, warning, error or critical (overrides SPOOL_LOG_LEVEL).")
    var logLevel: String?

    @Option(name: .long, help: "text or json (overrides SPOOL_LOG_FORMAT).")
    var logFormat: String?

    /// Settings from the defaults, the file, the environment and these flags, in that order.
    func loadConfiguration() throws -> SpoolConfiguration {
        let environment = ProcessEnvironment.current
        let explicitFile = config ?? environment["SPOOL_CONFIG"]
        let file = explicitFile ?? ResourceLocator.find("config/spool.json")
        var configuration = try ConfigurationLoader.load(
            file: file, fileMustExist: explicitFile != nil, environment: environment)
        if let db { configuration.database = db }
        if let logLevel { configuration.logLevel = logLevel.lowercased() }
        if let logFormat { configuration.logFormat = logFormat.lowercased() }
        try ConfigurationLoader.validate(configuration)
        return configuration
    }

    /// Loads the settings and sends log output where they say.
    func bootstrap() throws -> SpoolConfiguration {
        let configuration = try loadConfiguration()
        SpoolLogHandler.bootstrap(
            format: SpoolLogHandler.Format(rawValue: configuration.logFormat) ?? .text,
            level: Logger.Level(rawValue: configuration.logLevel) ?? .info)
        return configuration
    }
}
