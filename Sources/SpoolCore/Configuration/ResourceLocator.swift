#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds the folders Spool reads at start (`migrations/`, `config/models/`, `config/spool.json`) so that the
/// binary works from any working directory.
///
/// A folder named in the configuration wins. Otherwise the search walks up from the executable's own folder
/// (`.build/debug/spool` finds the checkout; `/app/bin/spool` finds `/app`), then up from the working directory.
public enum ResourceLocator {
    /// The first ancestor of the executable or of the working directory that holds `relativePath`, or nil.
    public static func find(_ relativePath: String) -> String? {
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

    /// The migrations folder: the configured one, or the one found beside the binary.
    public static func migrationsDirectory(_ configuration: SpoolConfiguration) throws(ConfigurationError) -> String {
        if let configured = configuration.migrationsDirectory { return configured }
        guard let found = find("migrations") else {
            throw ConfigurationError("cannot find the migrations folder; set SPOOL_MIGRATIONS_DIR")
        }
        return found
    }

    /// The model catalog folder: the configured one, or `config/models` found beside the binary.
    public static func modelsDirectory(_ configuration: SpoolConfiguration) throws(ConfigurationError) -> String {
        if let configured = configuration.modelsDirectory { return configured }
        guard let found = find("config/models") else {
            throw ConfigurationError("cannot find the model catalog (config/models); set SPOOL_MODELS_DIR")
        }
        return found
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
