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
            results are samples, and the start log line says the emulator is in use. The emulator listens on the \
            serve port + 1010 or on --sim-port (so its video URLs stay the same from one start to the next), or \
            on any free port when that one is taken; it keeps its videos in emulator-files beside the database, so \
            they still load after a restart. At start, a block on stderr says where the API and the workbench are. \
            Migrations are applied at \
            start. SIGTERM or SIGINT stops it gracefully: requests in flight finish, jobs at fal stay there and are \
            followed again on the next start.
            """)

    @OptionGroup var options: CommonOptions

    @Option(name: .long, help: "host:port to serve on (overrides SPOOL_LISTEN).")
    var listen: String?

    @Flag(name: .long, help: "Also run the fal emulator in this process and send every job to it.")
    var sim = false

    @Option(name: .long, help: "The --sim emulator's port (default: the serve port + 1010; 0: any free port).")
    var simPort: Int?

    func run() async throws {
        MallocTuning.limitArenas()
        var configuration = try options.bootstrap()
        if let listen { configuration.listen = listen }
        try ConfigurationLoader.validate(configuration)
        let logger = Logger(label: "spool")

        guard sim || configuration.fal.key != nil else { throw MissingFalKey() }
        var simulator: FalSimulator?
        if sim {
            let listenPort = try configuration.listenAddress().port
            let port = simPort ?? (listenPort > 0 ? listenPort + Self.emulatorPortOffset : 0)
            let started = try Self.startEmulator(
                port: port, outputFolder: Self.emulatorOutputFolder(database: configuration.database), logger: logger)
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
        let trimming = MallocTuning.trimPeriodically()
        StartBanner(configuration: configuration, emulatorURL: simulator?.baseURL).print()
        let signal = await ShutdownSignals.wait()
        logger.notice("stopping", metadata: ["signal": "\(signal)"])
        trimming.cancel()
        await gateway.shutdown()
        await simulator?.shutdown()
        BufferedLineWriter.standardError.flush()
    }

    /// The emulator sits this far above the serve port, so that it keeps one address across restarts.
    static let emulatorPortOffset = 1010

    /// Where the --sim emulator keeps its videos: `emulator-files` beside the database, so that earlier jobs'
    /// video URLs keep loading after a restart.
    static func emulatorOutputFolder(database: String) -> String {
        guard let slash = database.lastIndex(of: "/") else { return "emulator-files" }
        return database[...slash] + "emulator-files"
    }

    /// Starts the emulator on `port`, or on a free port when that one is 0, out of range or taken, keeping its
    /// videos in `outputFolder`.
    static func startEmulator(port: Int, outputFolder: String, logger: Logger) throws -> FalSimulator {
        var simLogger = Logger(label: "spool.sim")
        simLogger.logLevel = .warning
        var simConfiguration = SimulatorConfiguration()
        simConfiguration.host = "127.0.0.1"
        simConfiguration.outputFolder = outputFolder
        if port > 0, port <= Int(UInt16.max) {
            simConfiguration.port = port
            let simulator = FalSimulator(configuration: simConfiguration, logger: simLogger)
            do {
                try simulator.start()
                return simulator
            } catch {
                logger.warning("the emulator's usual port is taken; earlier jobs' video URLs will not load",
                               metadata: ["port": "\(port)", "error": "\(error)"])
            }
        }
        simConfiguration.port = 0
        let simulator = FalSimulator(configuration: simConfiguration, logger: simLogger)
        try simulator.start()
        return simulator
    }
}

/// Why `spool serve` will not start without a fal key: quietly running the emulator instead would accept jobs
/// and "complete" them with sample results.
struct MissingFalKey: Error, CustomStringConvertible {
    var description: String {
        "FAL_KEY is not set: set it to use fal, or pass --sim to run against the built-in emulator"
    }
}
