import ArgumentParser
import SpoolCore

/// `spool keys create|list|revoke`: manage API keys. A new key works on a running server at once; a revocation
/// reaches it within a second.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create, list and revoke API keys.",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a key for a team and print it once.",
            discussion: "Only a hash of the key is stored: copy it now. The key alone is on the last line.")

        @OptionGroup var options: CommonOptions

        @Option(name: .long, help: "The team the key acts for (letters, digits, '-', '_', '.').")
        var team: String

        @Flag(name: .long, help: "Let the key see every team's jobs and the admin routes.")
        var admin = false

        func validate() throws {
            guard TeamName.isValid(team) else {
                throw ValidationError("--team must be 1 to 64 characters of letters, digits, '-', '_' and '.'")
            }
        }

        func run() async throws {
            let configuration = try options.bootstrap()
            let (team, admin) = (self.team, self.admin)
            let (record, key) = try await DatabaseSetup.withKeys(configuration) {
                try await $0.createKey(team: team, isAdmin: admin)
            }
            print("created \(record.id) for team \(record.team)\(record.isAdmin ? " (admin)" : "")")
            print(key)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys (never their secrets).")

        @OptionGroup var options: CommonOptions

        func run() async throws {
            let configuration = try options.bootstrap()
            let keys = try await DatabaseSetup.withKeys(configuration) { try await $0.keys() }
            print("id\tteam\tadmin\tcreated_at\trevoked_at")
            for key in keys {
                print("\(key.id)\t\(key.team)\t\(key.isAdmin)\t\(key.createdAt.rfc3339)\t\(key.revokedAt?.rfc3339 ?? "-")")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key by its id (key_…).")

        @OptionGroup var options: CommonOptions

        @Argument(help: "The key's id, as `spool keys list` shows it.")
        var keyID: String

        func run() async throws {
            let configuration = try options.bootstrap()
            let keyID = self.keyID
            guard try await DatabaseSetup.withKeys(configuration, { try await $0.revokeKey(keyID) }) else {
                throw ValidationError("no live key \(keyID)")
            }
            print("revoked \(keyID)")
        }
    }
}
