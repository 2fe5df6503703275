import Foundation
import SpoolCore

/// The block `spool serve` prints on stderr once it listens: where the API and the workbench are, whether jobs go
/// to fal or to the emulator, and, only with the built-in development key, the key to paste into the workbench.
///
/// It is for the person who started the server; the structured log still says the same for machines.
struct StartBanner {
    /// The development admin key the README and `make run` use. Printed only when it is the configured key; any
    /// other key is a secret and never printed.
    static let developmentKey = "spool-dev-admin-key"

    let configuration: SpoolConfiguration
    /// The emulator's base URL, or nil when jobs go to fal.
    let emulatorURL: String?

    var text: String {
        let base = "http://" + Self.displayHost(configuration.listen)
        var lines = [
            "Spool \(SpoolVersion.current) is running",
            "  API        \(base)/v1",
            "  Workbench  \(base)/",
        ]
        if let emulatorURL {
            lines.append("  fal        the built-in emulator at \(emulatorURL) (sample videos, no cost)")
        } else {
            lines.append("  fal        \(configuration.fal.queueURL) (real jobs, billed by fal)")
        }
        if configuration.adminKey == Self.developmentKey {
            lines.append("  Key        \(Self.developmentKey) (the development admin key: paste it into the workbench)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func print() {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// `host:port` as a browser on this machine reaches it: a wildcard host becomes `localhost`.
    static func displayHost(_ listen: String) -> String {
        for wildcard in ["0.0.0.0:", "[::]:", ":"] where listen.hasPrefix(wildcard) {
            return "localhost:" + listen.dropFirst(wildcard.count)
        }
        return listen
    }
}
