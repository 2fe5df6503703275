import ArgumentParser
import SpoolCore

#if canImport(Glibc)
import Glibc
#endif

/// `spool health`: exit 0 when the local gateway answers `/healthz`, for container health checks.
struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Check that the gateway on SPOOL_LISTEN answers /healthz; exit 0 if so, 1 if not.")

    @OptionGroup var options: CommonOptions

    func run() async throws {
        let configuration = try options.loadConfiguration()
        var (host, port) = try configuration.listenAddress()
        if host == "0.0.0.0" || host == "::" { host = "127.0.0.1" }
        guard LocalHealthProbe.check(host: host, port: port) else { throw ExitCode.failure }
        print("ok")
    }
}
