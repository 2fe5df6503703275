/// The README's configuration table, made from `SpoolSettings`: `spool settings` prints it, and a test keeps the
/// README's copy equal to it.
package enum SettingsTable {
    /// One row per setting, in declaration order, the defaults read from a fresh `SpoolConfiguration`.
    package static func markdown() -> String {
        let defaults = SpoolConfiguration()
        var lines = [
            "| setting (`config/spool.json`) | environment, flag | value | default | meaning |",
            "|---|---|---|---|---|",
        ]
        for setting in SpoolSettings.all {
            let names = (setting.environment + [setting.flag].compactMap { $0 }).map { "`\($0)`" }
            let shownDefault = setting.shownValue(in: defaults).map { "`\($0)`" } ?? setting.whenUnset ?? "none"
            let kind = setting.kindName + (setting.isSecret ? ", secret (never logged)" : "")
            let cells = [setting.key.map { "`\($0)`" } ?? "(environment only)", names.joined(separator: ", "), kind,
                         shownDefault, setting.meaning]
            lines.append(row(cells))
        }
        lines.append(row([
            "`teams.NAME.*`", "", "", "", "the `teams.default` settings for one team; unset ones take the defaults",
        ]))
        return lines.joined(separator: "\n") + "\n"
    }

    private static func row(_ cells: [String]) -> String {
        "|" + cells.map { $0.isEmpty ? " " : " \($0) " }.joined(separator: "|") + "|"
    }
}
