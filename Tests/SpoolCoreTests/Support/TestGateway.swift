import Logging
import SpoolFal
import SpoolJSON
import SpoolPostgres
import SpoolPostgresTesting
import SpoolSim
import SpoolStore
import SpoolTestSupport
@testable import SpoolCore

/// A real gateway on an ephemeral port with a real database — a SQLite file, or a fresh PostgreSQL database of the
/// test run's server — talking to a real fal emulator over sockets.
final class TestGateway: Sendable {
    let directory: TemporaryDirectory
    let simulator: FalSimulator
    let gateway: Gateway
    let client: HTTPClient
    let baseURL: String
    /// The PostgreSQL URL the gateway runs on, nil on SQLite.
    let databaseURL: String?
    /// False for a gateway that joined another's emulator: the other stops it.
    private let ownsSimulator: Bool

    /// Starts an emulator and a gateway on `backend`. `configure` adjusts the gateway's settings (database and fal
    /// URL are set), `simulate` the emulator's. A gateway `joining` another runs on the other's database and
    /// emulator: a second replica. A gateway started on the `directory` of a stopped one runs on its database: on
    /// SQLite the file in it, on PostgreSQL the database it names.
    static func start(
        backend: StoreBackend = .current,
        directory: TemporaryDirectory? = nil,
        joining other: TestGateway? = nil,
        configure: (inout SpoolConfiguration) -> Void = { _ in },
        simulate: (inout SimulatorConfiguration) -> Void = { _ in }
    ) async throws -> TestGateway {
        let directory = try directory ?? other?.directory ?? TemporaryDirectory()
        let databaseURL: String?
        if let other {
            databaseURL = other.databaseURL
        } else {
            databaseURL = backend == .postgres ? try await StoreBackend.postgresDatabase(of: directory) : nil
        }
        let simulator: FalSimulator
        if let other {
            simulator = other.simulator
        } else {
            simulator = try startSimulator(simulate)
        }

        var configuration = SpoolConfiguration()
        configuration.listen = "127.0.0.1:0"
        configuration.database = directory.path + "/spool.db"
        configuration.databaseURL = databaseURL
        configuration.migrationsDirectory = RepositoryPaths.root + "/migrations"
        configuration.modelsDirectory = RepositoryPaths.root + "/config/models"
        configuration.fal.key = "test-fal-key"
        configuration.fal.queueURL = simulator.baseURL
        configuration.fal.jwksURL = simulator.jwksURL
        configuration.fal.pollIntervalSeconds = 0.05
        configuration.fal.requestTimeoutSeconds = 5
        configuration.dispatch.retryBaseSeconds = 0.05
        configuration.dispatch.retryMaxSeconds = 0.2
        configuration.http.eventStreamKeepAliveSeconds = 0.5
        configuration.webhooks.allowPrivate = true
        configure(&configuration)
        let gateway = try await Gateway(configuration: configuration, logger: quietLogger("gateway"))
        try await gateway.start()
        return TestGateway(
            directory: directory, simulator: simulator, gateway: gateway, databaseURL: databaseURL,
            ownsSimulator: other == nil)
    }

    private static func startSimulator(_ simulate: (inout SimulatorConfiguration) -> Void) throws -> FalSimulator {
        var simConfiguration = SimulatorConfiguration()
        simConfiguration.host = "127.0.0.1"
        simConfiguration.port = 0
        simConfiguration.queueSeconds = 0.2
        simConfiguration.runSeconds = 0.4
        simConfiguration.concurrency = 8
        simulate(&simConfiguration)
        let simulator = FalSimulator(configuration: simConfiguration, logger: quietLogger("sim"))
        try simulator.start()
        return simulator
    }

    private init(
        directory: TemporaryDirectory, simulator: FalSimulator, gateway: Gateway, databaseURL: String?,
        ownsSimulator: Bool
    ) {
        self.directory = directory
        self.simulator = simulator
        self.gateway = gateway
        self.databaseURL = databaseURL
        self.ownsSimulator = ownsSimulator
        self.client = HTTPClient(configuration: HTTPClientConfiguration(totalTimeout: .seconds(30)))
        self.baseURL = "http://127.0.0.1:\(gateway.port)"
    }

    /// Stops the gateway and the emulator (unless it joined another's).
    func stop() async {
        await gateway.shutdown()
        if ownsSimulator { await simulator.shutdown() }
        client.shutdown()
    }

    /// Creates an API key for `team` in the gateway's database (the running gateway finds it on first use).
    func key(team: String, admin: Bool = false) async throws -> String {
        try await gateway.store.createKey(team: team, isAdmin: admin).1
    }

    struct Response: Sendable {
        var status: Int
        var headers: HTTPClientHeaders
        var body: [UInt8]
        var json: JSONValue { (try? JSONValue(parsing: body)) ?? .null }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    func request(
        _ method: HTTPClientRequest.Method, _ path: String, key: String? = nil, json: JSONValue? = nil,
        body: [UInt8]? = nil, headers: [(String, String)] = []
    ) async throws -> Response {
        var fields = headers
        if let key { fields.append(("Authorization", "Bearer \(key)")) }
        var payload = body
        if let json {
            payload = json.serialized()
            fields.append(("Content-Type", "application/json"))
        }
        let response = try await client.execute(
            HTTPClientRequest(method: method, url: baseURL + path, headers: fields, body: payload))
        return Response(status: response.status, headers: response.headers, body: response.body)
    }

    /// Polls `GET /v1/jobs/{id}` until `condition` holds or `seconds` pass; returns the last job object read (the
    /// caller checks it, so that a failure shows the job as it stood).
    func waitForJob(
        _ id: String, key: String, seconds: Double = 20, until condition: (JSONValue) -> Bool
    ) async throws -> JSONValue {
        try await lastRead(within: .seconds(seconds), { try await request(.get, "/v1/jobs/\(id)", key: key).json },
                           until: condition)
    }

    /// Waits until job `id` is terminal.
    func waitUntilTerminal(_ id: String, key: String, seconds: Double = 20) async throws -> JSONValue {
        try await waitForJob(id, key: key, seconds: seconds) { job in
            ["completed", "failed", "cancelled"].contains(job["status"]?.stringValue ?? "")
        }
    }
}

extension Gateway {
    /// The SQLite database under the gateway, for tests that look at its rows: they run on SQLite only, and
    /// fail with `NotOnSQLite` on PostgreSQL.
    var database: SQLiteDatabase {
        get throws {
            guard let sqlite = store as? SQLiteGatewayStore else { throw NotOnSQLite() }
            return sqlite.database
        }
    }
}

/// A test that reads SQLite's rows ran on another backend.
struct NotOnSQLite: Error {}

/// The contract's example input for Kling O3 Pro reference-to-video.
let exampleInput: JSONValue = [
    "prompt": "@Element1 walks through @Image1",
    "input_image": ["https://example.com/scene.png"],
    "elements": [["frontal_image_url": "https://example.com/face.png",
                  "reference_image_urls": ["https://example.com/side.png"]]],
    "duration": 5, "aspect_ratio": "9:16", "generate_audio": true,
]

let exampleModel = "kling-video-o3-pro-reference-to-video"

func submission(_ input: JSONValue = exampleInput, extra: JSONObject = [:]) -> JSONValue {
    var body: JSONObject = ["model": .string(exampleModel), "input": input]
    for (key, value) in extra { body[key] = value }
    return .object(body)
}
