import SpoolJSON
import SpoolTestSupport
@testable import SpoolSim

/// Starting an emulator for a test: port 0, timings short enough for tests, and shutdown however the test ends.
enum SimFixture {
    static let klingEndpoint = "fal-ai/kling-video/o3/pro/reference-to-video"
    static let validInput: JSONValue = [
        "prompt": "A cat walks on @Image1", "image_urls": ["https://example.com/cat.png"], "duration": "5",
        "aspect_ratio": "16:9",
    ]

    static func configuration(_ adjust: (inout SimulatorConfiguration) -> Void = { _ in }) -> SimulatorConfiguration {
        var configuration = SimulatorConfiguration()
        configuration.port = 0
        configuration.queueSeconds = 0.2
        configuration.runSeconds = 0.6
        configuration.logInterval = 0.1
        configuration.keepAliveInterval = 0.2
        configuration.webhookRetrySchedule = [0.1, 0.2, 0.4]
        configuration.webhookTimeout = 5
        adjust(&configuration)
        return configuration
    }

    /// Runs `body` with a started emulator and shuts it down afterwards, even when `body` throws.
    static func with<T>(
        _ adjust: (inout SimulatorConfiguration) -> Void = { _ in }, _ body: (FalSimulator) async throws -> T
    ) async throws -> T {
        let simulator = FalSimulator(configuration: configuration(adjust), logger: quietLogger("sim-test"))
        try simulator.start()
        do {
            let result = try await body(simulator)
            await simulator.shutdown()
            return result
        } catch {
            await simulator.shutdown()
            throw error
        }
    }

    /// Submits `input` to `endpoint` and returns the submit answer's JSON.
    static func submit(
        _ simulator: FalSimulator, endpoint: String = klingEndpoint, input: JSONValue = validInput, query: String = ""
    ) async throws -> JSONValue {
        let response = try await FalHTTP.json("POST", "\(simulator.baseURL)/\(endpoint)\(query)", body: input)
        guard response.status == 200 else {
            throw TestFailure("submit answered \(response.status): \(response.text)")
        }
        return response.json
    }

    /// The status document (with logs) and its HTTP status.
    static func status(_ submitted: JSONValue, logs: Bool = true) async throws -> RawResponse {
        try await FalHTTP.json("GET", submitted["status_url"]!.stringValue! + (logs ? "?logs=1" : ""))
    }

    /// Polls the status until it reads `wanted`; fails the test after `seconds`.
    static func waitFor(_ wanted: String, _ submitted: JSONValue, within seconds: Double = 10) async throws -> RawResponse {
        var last: RawResponse?
        do {
            try await eventually("the status becomes \(wanted)", within: .seconds(seconds)) {
                last = try await status(submitted)
                return last?.json["status"]?.stringValue == wanted
            }
        } catch let timedOut as ConditionNotMet {
            throw TestFailure("\(timedOut); last: \(last?.text ?? "none")")
        }
        guard let last else { throw TestFailure("no status read") }
        return last
    }
}
