import Logging
import SpoolPostgres
import SpoolResources
import SpoolStore

extension PostgresGatewayStore {
    /// Connects to `url` (`SPOOL_DATABASE_URL`) and applies pending migrations under the migrator's advisory lock
    /// (safe from several replicas at once); returns the store with the names of the migrations applied.
    static func open(_ configuration: SpoolConfiguration, url text: String, logger: Logger) async throws
        -> (PostgresGatewayStore, [String]) {
        let url: PostgresURL
        do { url = try PostgresURL(text) } catch {
            throw ConfigurationError("SPOOL_DATABASE_URL is not a usable PostgreSQL URL: \(error)")
        }
        var poolLogger = logger
        // PostgresNIO warns of harmless things (a query before its pool's loop started) at `warning`.
        poolLogger.logLevel = max(logger.logLevel, .error)
        let database = SpoolPostgres.PostgresDatabase(url: url, logger: poolLogger)
        do {
            let applied = try await migrator(configuration).migrate(database)
            return (PostgresGatewayStore(database: database, logger: poolLogger), applied.map(\.fileName))
        } catch {
            await database.shutdown()
            throw error
        }
    }

    /// The migrations of `migrations/postgres/` in the configured folder (`SPOOL_MIGRATIONS_DIR`), or those built
    /// into the binary.
    private static func migrator(_ configuration: SpoolConfiguration) throws -> PostgresMigrator {
        if let directory = configuration.migrationsDirectory { return PostgresMigrator(directory: directory + "/postgres") }
        return PostgresMigrator(migrations: try EmbeddedFolder.postgresMigrations.files.filter { $0.name.hasSuffix(".sql") }
            .map { try Migration(fileName: $0.name, bytes: $0.bytes) })
    }

    /// `url` with its password masked, or a note that it does not parse (never the text itself, which may hold one).
    static func maskedLocation(_ url: String) -> String {
        (try? PostgresURL(url).description) ?? "an unreadable PostgreSQL URL"
    }
}
