import Foundation
import SpoolJSON
import Testing

@testable import SpoolCore

@Suite("Configuration: every setting declared once")
struct SettingsDeclarationTests {
    /// A value of a setting's kind other than its default: as JSON for the file, as text for the environment, and
    /// as the README shows it once read.
    struct Sample {
        let json: JSONValue
        let text: String
        let shown: String
    }

    /// A sample for `setting`, chosen by its kind; a new kind needs a case here.
    static func sample(for setting: Setting<some Any>, default shownDefault: String?) -> Sample? {
        switch setting.kindName {
        case "text", "text, any case": return Sample(json: "sample-value", text: "sample-value", shown: "sample-value")
        case "number ≥ 0": return Sample(json: 7.5, text: "7.5", shown: "7.5")
        case "whole number ≥ 0", "whole number ≥ 1": return Sample(json: 7, text: "7", shown: "7")
        case "true or false":
            let flag = shownDefault != "true"
            return Sample(json: .bool(flag), text: "\(flag)", shown: "\(flag)")
        case "seconds, comma-separated": return Sample(json: [1.5, 2], text: "1.5, 2", shown: "1.5,2")
        case "list of text": return Sample(json: ["a/b", "c/d"], text: "a/b,c/d", shown: "a/b,c/d")
        default:
            // A choice, named "`a` or `b`": any name but the default.
            let parts = setting.kindName.split(separator: "`", omittingEmptySubsequences: false)
            let names = parts.enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
            guard let name = names.first(where: { $0 != shownDefault }) else { return nil }
            return Sample(json: .string(name.uppercased()), text: name.uppercased(), shown: name)
        }
    }

    /// `{"a": {"b": value}}` for the key `a.b`.
    static func document(_ key: String, _ value: JSONValue) -> JSONObject {
        var document = value
        for part in key.split(separator: ".").reversed() { document = .object(JSONObject([(String(part), document)])) }
        return document.objectValue!
    }

    @Test("every setting is read from the file under its key and lands where the configuration reads it")
    func everySettingFromFile() throws {
        let defaults = SpoolConfiguration()
        for setting in SpoolSettings.all {
            guard let key = setting.key else { continue }
            let sample = try #require(Self.sample(for: setting, default: setting.shownValue(in: defaults)), "\(key)")
            var configuration = SpoolConfiguration()
            try FileSettings.apply(Self.document(key, sample.json), to: &configuration, source: "test.json")
            #expect(setting.shownValue(in: configuration) == sample.shown, "\(key)")
            #expect(setting.shownValue(in: configuration) != setting.shownValue(in: defaults), "\(key)")
        }
    }

    @Test("every setting with an environment variable is read from it and lands where the configuration reads it")
    func everySettingFromEnvironment() throws {
        let defaults = SpoolConfiguration()
        for setting in SpoolSettings.all where !setting.environment.isEmpty {
            let sample = try #require(Self.sample(for: setting, default: setting.shownValue(in: defaults)))
            var configuration = SpoolConfiguration()
            let variables = Dictionary(uniqueKeysWithValues: setting.environment.map { ($0, sample.text) })
            try EnvironmentSettings.apply(variables, to: &configuration)
            if setting.environment.count == 1 {
                #expect(setting.shownValue(in: configuration) == sample.shown, "\(setting.environment)")
            }
            #expect(setting.shownValue(in: configuration) != setting.shownValue(in: defaults), "\(setting.environment)")
        }
    }

    @Test("every per-team setting is read from a named team's block into that team alone")
    func everyTeamSettingPerTeam() throws {
        for setting in SpoolSettings.team {
            let key = try #require(setting.key)
            let sample = try #require(Self.sample(for: setting, default: setting.shownValue(in: SpoolConfiguration().teams.defaults)))
            var configuration = SpoolConfiguration()
            try FileSettings.apply(Self.document("teams.vault." + key, sample.json), to: &configuration, source: "test.json")
            #expect(setting.shownValue(in: configuration.teams.limits(for: "vault")) == sample.shown, "\(key)")
            #expect(configuration.teams.limits(for: "other") == SpoolConfiguration().teams.defaults, "\(key)")
        }
    }

    @Test("every setting has a file key or an environment variable, and no key or variable is declared twice")
    func declarationsAreComplete() {
        let keys = SpoolSettings.all.compactMap(\.key)
        let variables = SpoolSettings.all.flatMap(\.environment)
        #expect(SpoolSettings.all.allSatisfy { $0.key != nil || !$0.environment.isEmpty })
        #expect(Set(keys).count == keys.count)
        #expect(Set(variables).count == variables.count)
    }

    @Test("the shipped config/spool.json is the one `spool settings --example` prints: every key, with its default")
    func shippedFileIsGenerated() throws {
        let shipped = try String(contentsOfFile: ConfigurationTests.shippedFile, encoding: .utf8)
        let expected = SettingsExample.text()
        #expect(shipped == expected, "config/spool.json differs from `spool settings --example`; replace it with:\n\(expected)")
    }

    @Test("the README's configuration table is the one `spool settings` prints")
    func readmeTableIsGenerated() throws {
        let readme = try String(contentsOfFile: RepositoryPaths.root + "/README.md", encoding: .utf8)
        let begin = "<!-- settings table: begin -->\n", end = "<!-- settings table: end -->"
        let start = try #require(readme.range(of: begin), "README.md has no \(begin)")
        let finish = try #require(readme.range(of: end, range: start.upperBound..<readme.endIndex))
        let expected = SettingsTable.markdown()
        #expect(String(readme[start.upperBound..<finish.lowerBound]) == expected,
                "The README's table differs from `spool settings`; replace it with:\n\(expected)")
    }

    @Test("a bad value in the file is refused naming the setting, its value and the file")
    func badFileValue() throws {
        var configuration = SpoolConfiguration()
        let error = #expect(throws: ConfigurationError.self) {
            try FileSettings.apply(Self.document("fal.poll_max_interval_seconds", -1), to: &configuration, source: "x.json")
        }
        #expect(error?.message == "x.json: fal.poll_max_interval_seconds must be a non-negative number, not -1")
        let team = #expect(throws: ConfigurationError.self) {
            try FileSettings.apply(Self.document("teams.vault.fal_surface_cancels", "sometimes"), to: &configuration, source: "x.json")
        }
        #expect(team?.message == #"x.json: teams.vault.fal_surface_cancels must be honour or ignore, or null, not "sometimes""#)
    }

    @Test("a bad environment value is refused naming the variable and the value")
    func badEnvironmentValue() {
        var configuration = SpoolConfiguration()
        let error = #expect(throws: ConfigurationError.self) {
            try EnvironmentSettings.apply(["SPOOL_MAX_INFLIGHT": "many"], to: &configuration)
        }
        #expect(error?.message == "SPOOL_MAX_INFLIGHT must be a whole number of at least 1, not many")
    }

    @Test("a secret's refused value is never repeated in the message")
    func secretNotRepeated() {
        var configuration = SpoolConfiguration()
        let error = #expect(throws: ConfigurationError.self) {
            try FileSettings.apply(Self.document("fal.key", 1234567), to: &configuration, source: "x.json")
        }
        #expect(error?.message.contains("fal.key") == true)
        #expect(error?.message.contains("1234567") == false)
    }

    @Test("flags are read as their settings: --db, --log-level and --log-format over the environment")
    func flags() throws {
        var configuration = try ConfigurationLoader.load(file: nil, environment: ["SPOOL_DB": "env.db", "SPOOL_LOG_LEVEL": "info"])
        try SpoolSettings.apply(flags: ["--db": "flag.db", "--log-level": "DEBUG", "--log-format": "json"], to: &configuration)
        #expect(configuration.database == "flag.db")
        #expect(configuration.logLevel == "debug")
        #expect(configuration.logFormat == "json")
        #expect(SpoolSettings.help(flag: "--db") == "the SQLite file (overrides SPOOL_DB).")
    }
}
