import ArgumentParser
import Logging
import SpoolCore
import SpoolHTTP
import SpoolSim

/// `spool serve [--sim]`: run the gateway.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the gateway: the HTTP API and the workers that carry jobs through fal.",
        discussion: """
            It needs a fal key (FAL_KEY) to reach fal, and refuses to start without one. --sim runs the built-in fal \
            emulator in the same process instead: jobs then run end to end on this machine at no cost, their \
            results are samples, and the start log line says the emulator is in use. Migrations are applied at \
            start. SIGTERM or SIGINT stops it gracefully: requests in flight finish, jobs at fal stay there and are \
            followed again on the next start.
            """)

    @OptionGroup var options: CommonOptions

    @Option(name: .long, help: "host:port to serve on (overrides SPOOL_LISTEN).")
    var listen: String?

    @Flag(name: .long, help: "Also run the fal emulator in this process and send every job to it.")
    var sim = false

    func run() async throws {
        var configuration = try options.bootstrap()
        if let listen { configuration.listen = listen }
        try ConfigurationLoader.validate(configuration)
        let logger = Logger(label: "spool")

        guard sim || configuration.fal.key != nil else { throw MissingFalKey() }
        var simulator: FalSimulator?
        if sim {
            var simConfiguration = SimulatorConfiguration()
            simConfiguration.host = "127.0.0.1"
            simConfiguration.port = 0
            var simLogger = Logger(label: "spool.sim")
            simLogger.logLevel = .warning
            let started = FalSimulator(configuration: simConfiguration, logger: simLogger)
            try started.start()
            configuration.fal.queueURL = started.baseURL
            configuration.fal.key = "spool-sim-key"
            configuration.fal.jwksURL = started.baseURL + "/.well-known/jwks.json"
            configuration.fal.emulated = true
            simulator = started
            logger.notice("fal emulator running", metadata: ["url": "\(started.baseURL)"])
        }

        let gateway = try await Gateway(
            configuration: configuration, logger: logger, accessLogWriter: BufferedLineWriter.standardError)
        try await gateway.start()
        let signal = await ShutdownSignals.wait()
        logger.notice("stopping", metadata: ["signal": "\(signal)"])
        await gateway.shutdown()
        await simulator?.shutdown()
        BufferedLineWriter.standardError.flush()
    }
}

/// Why `spool serve` will not start without a fal key: quietly running the emulator instead would accept jobs
/// and "complete" them with sample results.
struct MissingFalKey: Error, CustomStringConvertible {
    var description: String {
        "FAL_KEY is not set: set it to use fal, or pass --sim to run against the built-in emulator"
    }
}
