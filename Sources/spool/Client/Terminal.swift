import Foundation

/// Output for people: whether stdout is a terminal (a live line and a progress bar) or not (plain lines).
enum Terminal {
    static var isInteractive: Bool { isatty(STDOUT_FILENO) == 1 }

    /// Replaces the current line of a terminal with `text`.
    static func overwrite(_ text: String) {
        FileHandle.standardOutput.write(Data(("\r\u{1B}[K" + text).utf8))
    }

    /// Prints `text` as a line of its own, above a live line when there is one.
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data(((isInteractive ? "\r\u{1B}[K" : "") + text + "\n").utf8))
    }

    /// `seconds` as `1m05s` or `12s`.
    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.down))
        return whole >= 60 ? "\(whole / 60)m" + (whole % 60 < 10 ? "0" : "") + "\(whole % 60)s" : "\(whole)s"
    }
}
