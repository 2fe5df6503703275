import ArgumentParser
import Logging
import SpoolCore

/// Where settings and log lines come from: the options of every command that reads settings, `spool sim` included.
struct SettingsOptions: ParsableArguments {
    @Option(name: .long, help: "Configuration file (default: config/spool.json beside the binary, if present).")
    var config: String?

    @Option(name: .long, help: ArgumentHelp(SpoolSettings.help(flag: "--log-level")))
    var logLevel: String?

    @Option(name: .long, help: ArgumentHelp(SpoolSettings.help(flag: "--log-format")))
    var logFormat: String?

    /// Settings from the defaults, the file, the environment and these flags, in that order; `commandFlags` (flag
    /// to text, as `SpoolSettings` declares them) are a command's own, laid over them before they are checked.
    func loadConfiguration(commandFlags: [String: String] = [:]) throws -> SpoolConfiguration {
        let environment = ProcessEnvironment.current
        let explicitFile = config ?? environment["SPOOL_CONFIG"]
        let file = explicitFile ?? ResourceLocator.find("config/spool.json")
        var configuration = try ConfigurationLoader.load(
            file: file, fileMustExist: explicitFile != nil, environment: environment)
        let flags = ["--log-level": logLevel, "--log-format": logFormat].compactMapValues { $0 }
        try SpoolSettings.apply(flags: flags.merging(commandFlags) { $1 }, to: &configuration)
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
