#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SpoolResources
import SpoolStore

/// Finds what Spool reads at start: the migrations and the model catalog (carried in the binary unless a folder is
/// configured) and `config/spool.json` (found on disk) so that the binary works alone and from any working directory.
package enum ResourceLocator {
    /// The first ancestor of the executable or of the working directory that holds `relativePath`, or nil.
    ///
    /// The search walks up from the executable's own folder (`.build/debug/spool` finds the checkout;
    /// `/app/bin/spool` finds `/app`), then up from the working directory.
    package static func find(_ relativePath: String) -> String? {
        for start in [executableDirectory(), workingDirectory()].compactMap({ $0 }) {
            var directory = start
            while true {
                let candidate = directory == "/" ? "/" + relativePath : directory + "/" + relativePath
                if access(candidate, F_OK) == 0 { return candidate }
                guard let slash = directory.lastIndex(of: "/"), directory != "/" else { break }
                directory = slash == directory.startIndex ? "/" : String(directory[..<slash])
            }
        }
        return nil
    }

    /// The migrations of the configured folder (`SPOOL_MIGRATIONS_DIR`), or those built into the binary from
    /// `migrations/`. Both give the same checksums for the same files, so a database keeps migrating either way.
    package static func migrator(_ configuration: SpoolConfiguration) throws(MigrationError) -> Migrator {
        if let directory = configuration.migrationsDirectory { return Migrator(directory: directory) }
        var migrations: [Migration] = []
        for file in EmbeddedFolder.migrations.files where file.name.hasSuffix(".sql") {
            migrations.append(try Migration(fileName: file.name, bytes: file.bytes))
        }
        return Migrator(migrations: migrations)
    }

    /// The catalog of the configured folder (`SPOOL_MODELS_DIR`), or the one built into the binary from
    /// `config/models/`.
    package static func catalog(_ configuration: SpoolConfiguration) throws(CatalogError) -> ModelCatalog {
        if let directory = configuration.modelsDirectory { return try ModelCatalog(directory: directory) }
        return try ModelCatalog(files: EmbeddedFolder.models.files.filter { $0.name.hasSuffix(".json") }.map {
            CatalogFile(name: $0.name, contents: $0.bytes)
        })
    }

    private static func executableDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        let path = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let slash = path.lastIndex(of: "/") else { return nil }
        return String(path[..<slash])
    }

    private static func workingDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
