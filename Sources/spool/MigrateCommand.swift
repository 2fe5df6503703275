import ArgumentParser
import SpoolCore

/// `spool migrate`: apply pending migrations and exit.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply the database migrations that have not been applied yet, then exit.",
        discussion: "Safe to run any number of times; an applied migration whose file changed is refused.")

    @OptionGroup var options: CommonOptions

    func run() async throws {
        let configuration = try options.bootstrap()
        let applied = try await DatabaseSetup.migrate(configuration)
        if applied.isEmpty {
            print("database \(DatabaseSetup.location(configuration)) is up to date")
        } else {
            for name in applied { print("applied \(name)") }
        }
    }
}
