import ArgumentParser
import SpoolCore

/// `spool backup PATH`: a consistent copy of the live database.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the database to PATH with SQLite's online backup, safe while the gateway runs.",
        discussion: "Restore by stopping the gateway and putting the copy in place of the database file.")

    @OptionGroup var options: CommonOptions

    @Argument(help: "Where to write the copy; an existing file is replaced.")
    var path: String

    func run() async throws {
        let configuration = try options.bootstrap()
        try await DatabaseSetup.backup(configuration, to: path)
        print("backed up \(configuration.database) to \(path)")
    }
}
