import ArgumentParser
import SpoolCore

/// `spool settings`: every setting, as the README's configuration table.
struct SettingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings",
        abstract: "Print every setting: its file key, environment variable, flag, kind, default and meaning.",
        discussion: """
            The output is the README's configuration table, in Markdown, or with --example the configuration file \
            config/spool.json, every key with its default; tests keep both copies equal to this output. The \
            settings are declared once, in SpoolSettings (Sources/SpoolCore/Configuration/Settings/).
            """)

    @Flag(help: "Print the example configuration file (config/spool.json) instead of the table.")
    var example = false

    func run() {
        print(example ? SettingsExample.text() : SettingsTable.markdown(), terminator: "")
    }
}
