import SpoolHTTP
import SpoolJSON

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Builds a `SpoolConfiguration` from the defaults, a JSON file and the environment, in that order.
///
/// The file's keys and the environment's names are those `SpoolSettings` declares (`config/spool.json` shows every
/// key); an unknown key in the file is an error, so a typo never passes silently.
package enum ConfigurationLoader {
    /// Loads `path` (when given and present; a missing file that was named explicitly is an error) and then
    /// applies `environment`.
    package static func load(
        file path: String?, fileMustExist: Bool = false, environment: [String: String]
    ) throws(ConfigurationError) -> SpoolConfiguration {
        var configuration = SpoolConfiguration()
        if let path {
            if let bytes = readFile(path) {
                let document: JSONValue
                do { document = try JSONValue(parsing: bytes) } catch {
                    throw ConfigurationError("\(path): not valid JSON (\(error))")
                }
                guard let object = document.objectValue else { throw ConfigurationError("\(path): must hold a JSON object") }
                try FileSettings.apply(object, to: &configuration, source: path)
            } else if fileMustExist {
                throw ConfigurationError("\(path): cannot read the configuration file")
            }
        }
        try EnvironmentSettings.apply(environment, to: &configuration)
        try validate(configuration)
        return configuration
    }

    /// Checks values that parse but make no sense together.
    package static func validate(_ configuration: SpoolConfiguration) throws(ConfigurationError) {
        _ = try configuration.listenAddress()
        guard ["text", "json"].contains(configuration.logFormat) else {
            throw ConfigurationError("log_format must be text or json, not \(configuration.logFormat)")
        }
        guard AccessLog.Sampling(setting: configuration.logAccess) != nil else {
            throw ConfigurationError("log_access must be all, off or sample:N with N ≥ 1, not \(configuration.logAccess)")
        }
        guard LogLevelName.parse(configuration.logLevel) != nil else {
            throw ConfigurationError("log_level must be one of \(LogLevelName.all.joined(separator: ", "))")
        }
        guard configuration.dispatch.maxInflight >= 1 else { throw ConfigurationError("max_inflight must be at least 1") }
        guard configuration.storage.concurrency >= 1 else { throw ConfigurationError("storage.concurrency must be at least 1") }
        guard configuration.storage.sweepIntervalSeconds > 0 else {
            throw ConfigurationError("storage.sweep_interval_seconds must be more than 0")
        }
        guard configuration.dispatch.maxAttempts >= 1 else { throw ConfigurationError("max_attempts must be at least 1") }
        let lease = configuration.dispatch.leaseSeconds, timeout = configuration.fal.requestTimeoutSeconds
        guard lease >= 2 * timeout else {
            throw ConfigurationError(
                "dispatch.lease_seconds (\(lease)) must be at least twice fal.request_timeout_seconds (\(timeout)), "
                    + "so that a claim cannot lapse while its submit is still in flight")
        }
        guard !configuration.webhooks.retrySchedule.isEmpty else {
            throw ConfigurationError("the webhook retry schedule needs at least one entry")
        }
        guard configuration.sync.defaultWaitSeconds <= configuration.sync.maxWaitSeconds else {
            throw ConfigurationError("sync.default_wait_seconds must not exceed sync.max_wait_seconds")
        }
        if let url = configuration.publicURL, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw ConfigurationError("public_url must start with http:// or https://")
        }
        try S3StorageSettings.validate(configuration)
    }

    /// Splits `host:port` (or `[v6]:port`) and checks the port.
    static func splitHostPort(_ text: String, setting: String) throws(ConfigurationError) -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":") else {
            throw ConfigurationError("\(setting) must be HOST:PORT, not \(text)")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port), !host.isEmpty else {
            throw ConfigurationError("\(setting) must be HOST:PORT with a port from 0 to 65535, not \(text)")
        }
        return (host, port)
    }

    /// The whole file at `path`, or nil when it cannot be read.
    static func readFile(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count > 0 { bytes.append(contentsOf: buffer[0..<count]) }
            if count < buffer.count { break }
        }
        return ferror(file) == 0 ? bytes : nil
    }
}

/// The names of swift-log's levels as settings spell them.
package enum LogLevelName {
    package static let all = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
    package static func parse(_ text: String) -> String? { all.contains(text.lowercased()) ? text.lowercased() : nil }
}
