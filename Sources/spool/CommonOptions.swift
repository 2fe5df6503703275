import ArgumentParser
import SpoolCore

/// Options every command that uses the database accepts: the settings' sources and the database file.
struct CommonOptions: ParsableArguments {
    @OptionGroup var settings: SettingsOptions

    @Option(name: .long, help: ArgumentHelp(SpoolSettings.help(flag: "--db")))
    var db: String?

    /// Settings from the defaults, the file, the environment and these flags, in that order.
    func loadConfiguration() throws -> SpoolConfiguration {
        try settings.loadConfiguration(commandFlags: ["--db": db].compactMapValues { $0 })
    }

    /// Loads the settings and sends log output where they say.
    func bootstrap() throws -> SpoolConfiguration {
        let configuration = try loadConfiguration()
        SettingsOptions.bootstrapLogging(configuration)
        return configuration
    }
}
