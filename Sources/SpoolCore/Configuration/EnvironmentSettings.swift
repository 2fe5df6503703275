/// Applies the environment variables that `SpoolSettings` names (the contract's names) over the file's settings.
enum EnvironmentSettings {
    static func apply(_ environment: [String: String], to configuration: inout SpoolConfiguration) throws(ConfigurationError) {
        for setting in SpoolSettings.all {
            try setting.read(environment: environment, into: &configuration)
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing characters from `set`.
    func trimmingCharacters(in set: String) -> String {
        let characters = Set(set)
        guard let first = firstIndex(where: { !characters.contains($0) }) else { return "" }
        let last = lastIndex(where: { !characters.contains($0) })!
        return String(self[first...last])
    }
}
