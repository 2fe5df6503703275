import Foundation
import SpoolFal
import SpoolTestSupport
import Testing
@testable import SpoolCore

@Suite("Access lines of the real binary survive SIGTERM")
struct AccessLogShutdownTests {
    @Test("every request answered before SIGTERM has its access line on stderr once the process has exited",
          .enabled(if: FileManager.default.isExecutableFile(atPath: ServeCommandTests.binary)))
    func sigtermKeepsEveryLine() async throws {
        let directory = try TemporaryDirectory()
        let environment = [
            "SPOOL_LISTEN": "127.0.0.1:0", "SPOOL_DB": directory.path + "/spool.db", "SPOOL_LOG_LEVEL": "info",
            "SPOOL_LOG_ACCESS": "all",
        ]
        let gateway = try BackgroundProcess(
            ServeCommandTests.binary, ["serve", "--sim"], environment: environment, logPath: directory.path + "/spool.log")
        var stopped = false
        defer { if !stopped { gateway.stop() } }
        let client = HTTPClient()
        defer { client.shutdown() }
        let base = "http://127.0.0.1:\(try await gateway.servingPort())"
        try await eventually("the server answers /healthz", within: .seconds(30)) {
            (try? await client.execute(HTTPClientRequest(url: base + "/healthz")))?.status == 200
        }
        let ids = (0..<300).map { "before-sigterm-\($0)" }
        for id in ids {
            let answer = try await client.execute(HTTPClientRequest(url: base + "/healthz", headers: [("X-Request-Id", id)]))
            #expect(answer.status == 200)
        }
        stopped = true
        #expect(gateway.stop() == 0)
        let logged = Set(gateway.log.split(separator: "\n").compactMap { line -> String? in
            guard line.contains(": request "), let range = line.range(of: "request_id=") else { return nil }
            return String(line[range.upperBound...].prefix { $0 != " " })
        })
        let missing = ids.filter { !logged.contains($0) }
        #expect(missing.isEmpty, "no access line for \(missing.count) of \(ids.count) requests")
        #expect(gateway.log.contains("spool stopped"))
    }
}
