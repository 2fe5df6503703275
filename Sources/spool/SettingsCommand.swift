import ArgumentParser
import SpoolCore

/// `spool settings`: every setting, as the README's configuration table.
struct SettingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings",
        abstract: "Print every setting: its file key, environment variable, flag, kind, default and meaning.",
        discussion: """
            The output is the README's configuration table, in Markdown; a test keeps the README's copy equal to \
            it. The settings are declared once, in SpoolSettings (Sources/SpoolCore/Configuration/Settings/).
            """)

    func run() {
        print(SettingsTable.markdown(), terminator: "")
    }
}
