extension SpoolSettings {
    /// Lays command-line flags over `configuration`: `values` maps a flag (`--db`) to the text given, read as the
    /// setting that declares the flag reads its environment variable.
    package static func apply(
        flags values: [String: String], to configuration: inout SpoolConfiguration
    ) throws(ConfigurationError) {
        for setting in all {
            guard let flag = setting.flag, let text = values[flag] else { continue }
            try setting.read(text: text, into: &configuration, name: flag)
        }
    }

    /// The help of `flag`: the meaning of the setting that declares it, and the variable it overrides.
    package static func help(flag: String) -> String {
        guard let setting = all.first(where: { $0.flag == flag }) else { return "" }
        let meaning = setting.meaning.filter { $0 != "`" }
        let overrides = setting.environment.isEmpty ? "" : " (overrides \(setting.environment.joined(separator: ", ")))"
        return meaning + overrides + "."
    }
}
