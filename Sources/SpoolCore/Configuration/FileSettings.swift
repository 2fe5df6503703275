import SpoolJSON

/// Reads the JSON configuration file into a `SpoolConfiguration`, by the keys `SpoolSettings` declares. Every key
/// is optional; an unknown key is an error that names it, so a typo never passes silently.
enum FileSettings {
    /// The settings outside `teams`, by their dotted key.
    private static let byKey: [String: Setting<SpoolConfiguration>] = Dictionary(
        uniqueKeysWithValues: SpoolSettings.general.compactMap { setting in setting.key.map { ($0, setting) } })
    /// The objects that group settings (`fal`, `storage.s3`), by their dotted key.
    private static let sections: Set<String> = Set(byKey.keys.flatMap { key in
        let parts = key.split(separator: ".")
        return (1..<parts.count).map { parts.prefix($0).joined(separator: ".") }
    })
    private static let teamByKey: [String: Setting<SpoolConfiguration.TeamLimits>] = Dictionary(
        uniqueKeysWithValues: SpoolSettings.team.compactMap { setting in setting.key.map { ($0, setting) } })

    static func apply(_ root: JSONObject, to configuration: inout SpoolConfiguration, source: String) throws(ConfigurationError) {
        try read(root, prefix: "", into: &configuration, source: source)
    }

    private static func read(
        _ object: JSONObject, prefix: String, into configuration: inout SpoolConfiguration, source: String
    ) throws(ConfigurationError) {
        for (name, value) in object {
            let key = prefix + name
            if let setting = byKey[key] {
                try setting.read(value, into: &configuration, source: source, key: key)
            } else if sections.contains(key) || key == "teams" {
                guard let members = value.objectValue else { throw ConfigurationError("\(source): \(key) must be an object") }
                if key == "teams" {
                    try readTeams(members, into: &configuration.teams, source: source)
                } else {
                    try read(members, prefix: key + ".", into: &configuration, source: source)
                }
            } else {
                throw ConfigurationError("\(source): unknown setting \(key)")
            }
        }
    }

    /// `teams.default` changes the built-in defaults of every team; `teams.NAME` sets one team's own values, which
    /// start empty (the defaults apply where it sets nothing).
    private static func readTeams(
        _ object: JSONObject, into teams: inout SpoolConfiguration.Teams, source: String
    ) throws(ConfigurationError) {
        for (team, value) in object {
            guard let members = value.objectValue else { throw ConfigurationError("\(source): teams.\(team) must be an object") }
            var limits = team == "default" ? teams.defaults : SpoolConfiguration.TeamLimits()
            for (name, value) in members {
                let key = "teams.\(team).\(name)"
                guard let setting = teamByKey[name] else { throw ConfigurationError("\(source): unknown setting \(key)") }
                try setting.read(value, into: &limits, source: source, key: key)
            }
            if team == "default" { teams.defaults = limits } else { teams.overrides[team] = limits }
        }
    }
}
