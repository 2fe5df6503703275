import Foundation
import Testing
@testable import SpoolCore

/// Chromium and its WebDriver, from Debian's `chromium` and `chromium-driver` packages.
enum BrowserTools {
    static let chromium = ProcessInfo.processInfo.environment["CHROMIUM"] ?? "/usr/bin/chromium"
    static let chromedriver = ProcessInfo.processInfo.environment["CHROMEDRIVER"] ?? "/usr/bin/chromedriver"

    static var installed: Bool {
        FileManager.default.isExecutableFile(atPath: chromium) && FileManager.default.isExecutableFile(atPath: chromedriver)
    }
}

@Suite("The workbench in a real browser")
struct WorkbenchBrowserTests {
    @Test(
        "headless Chromium fills the form, follows two jobs to their videos and compares them (screenshots/)",
        .enabled(if: BrowserTools.installed, "needs chromium and chromium-driver (apt-get install chromium chromium-driver)"),
        .timeLimit(.minutes(5)))
    func browserDrivesTheWorkbench() async throws {
        try await withGateway(simulate: {
            $0.runSeconds = 1.5
            $0.logInterval = 0.25
        }) { spool in
            let key = try await spool.key(team: "studio")
            let outcome = try await PythonScript.run(
                "browser_test.py", [spool.baseURL, key, RepositoryPaths.root + "/screenshots"], timeoutSeconds: 240)
            #expect(outcome.status == 0, "\(outcome.output)")
        }
    }
}
