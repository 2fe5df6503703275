import ArgumentParser
import Dispatch
import SpoolCore
#if canImport(Glibc)
import Glibc
#endif

/// `spool`: the gateway, its emulator of fal, and the tools to run them.
@main
struct SpoolCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spool",
        abstract: "A job gateway in front of fal.ai's queue.",
        discussion: """
            Teams submit video-generation jobs over HTTP; Spool validates and stores them in SQLite, forwards them \
            to fal, follows them to the end and reports back by polling, server-sent events and signed webhooks.

            Settings come from config/spool.json, then environment variables (SPOOL_LISTEN, SPOOL_DB, FAL_KEY, …), \
            then flags. `spool settings` lists every setting (the README's table).
            """,
        version: SpoolVersion.current,
        subcommands: [
            ServeCommand.self, SimCommand.self, MigrateCommand.self, KeysCommand.self, BackupCommand.self, HealthCommand.self,
            JobsCommand.self, SettingsCommand.self,
        ])

    /// Runs the command on the Swift concurrency pool while the main thread waits, instead of the async entry
    /// point's `dispatch_main`, which ends the main thread with `pthread_exit`: unwinding it read the binary's
    /// unwind tables at start (about half a megabyte resident for good). Nothing in Spool runs on the main actor.
    static func main() {
        let finished = DispatchSemaphore(value: 0)
        Task.detached {
            do {
                var command = try parseAsRoot()
                if var asyncCommand = command as? AsyncParsableCommand {
                    try await asyncCommand.run()
                } else {
                    try command.run()
                }
            } catch {
                exit(withError: error)
            }
            finished.signal()
        }
        finished.wait()
    }
}
