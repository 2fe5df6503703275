import ArgumentParser
import Logging
import SpoolCore

/// Where settings and log lines come from: the options of every command that reads settings, `spool sim` included.
struct SettingsOptions: ParsableArguments {
    @Option(name: .long, help: "Configuration file (default: config/spool.json beside the binary, if present).")
    var config: String?

    @Option(name: .long, help: "trace, debug, info, notice, warning, error or critical (overrides SPOOL_LOG_LEVEL).")
    var logLevel: String?

    @Option(name: .long, help: "text or json (overrides SPOOL_LOG_FORMAT).")
    var logFormat: String?

    /// Settings from the defaults, the file, the environment and these flags, in that order; `adjust` lays a
    /// command's own flags over them before they are checked.
    func loadConfiguration(_ adjust: (inout SpoolConfiguration) -> Void = { _ in }) throws -> SpoolConfiguration {
        let environment = ProcessEnvironment.current
        let explicitFile = config ?? environment["SPOOL_CONFIG"]
        let file = explicitFile ?? ResourceLocator.find("config/spool.json")
        var configuration = try ConfigurationLoader.load(
            file: file, fileMustExist: explicitFile != nil, environment: environment)
        if let logLevel { configuration.logLevel = logLevel.lowercased() }
        if let logFormat { configuration.logFormat = logFormat.lowercased() }
        adjust(&configuration)
        try ConfigurationLoader.validate(configuration)
        return configuration
    }

    /// Sends log output where `configuration` says.
    static func bootstrapLogging(_ configuration: SpoolConfiguration) {
        SpoolLogHandler.bootstrap(
            format: SpoolLogHandler.Format(rawValue: configuration.logFormat) ?? .text,
            level: Logger.Level(rawValue: configuration.logLevel) ?? .info)
    }
}
