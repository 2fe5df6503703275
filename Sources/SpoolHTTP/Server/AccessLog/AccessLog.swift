/// How the server writes its access line (one per finished request) when it is given one: formatted straight
/// into bytes on the event loop and handed to a `BufferedLineWriter`, instead of going through the `Logger`.
///
/// The line has the text or JSON shape of Spool's log handler, at info level, with message `request` and the
/// fields `duration_ms`, `method`, `path`, `request_id` and `status`. It is written only when the server's
/// logger would log at info.
package struct AccessLog: Sendable {
    package enum Format: Sendable {
        case text, json
    }

    /// Which requests get a line.
    package enum Sampling: Sendable, Equatable {
        /// Every request.
        case all
        /// One request in `n` (on each event loop: the first, then every `n`-th).
        case oneIn(Int)
        /// None (the observer still sees every request).
        case off

        /// Parses `all`, `off` or `sample:N` (N ≥ 1).
        package init?(setting: String) {
            switch setting {
            case "all": self = .all
            case "off": self = .off
            default:
                guard setting.hasPrefix("sample:"), let n = Int(setting.dropFirst("sample:".count)), n >= 1 else {
                    return nil
                }
                self = n == 1 ? .all : .oneIn(n)
            }
        }
    }

    package var format: Format
    package var sampling: Sampling
    /// The logger name on each line (`spool.http`).
    package var label: String
    package var writer: BufferedLineWriter

    package init(format: Format, sampling: Sampling, label: String, writer: BufferedLineWriter) {
        self.format = format
        self.sampling = sampling
        self.label = label
        self.writer = writer
    }
}
