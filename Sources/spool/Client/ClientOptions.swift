import ArgumentParser
import SpoolFal

/// Where the terminal client finds Spool and how it answers: every `spool jobs` command takes these.
struct ClientOptions: ParsableArguments {
    @Option(name: .long, help: "Spool's base URL (default: SPOOL_URL, else http://127.0.0.1:8080).")
    var url: String?

    @Option(name: .long, help: "The API key (default: SPOOL_KEY).")
    var key: String?

    @Flag(name: .long, help: "Print the server's JSON answers instead of text, for scripts.")
    var json = false

    /// A client for the chosen server; fails when no key is given.
    func client() throws -> SpoolClient {
        let environment = ProcessEnvironment.current
        guard let key = key ?? environment["SPOOL_KEY"], !key.isEmpty else {
            throw ValidationError("no API key: pass --key or set SPOOL_KEY")
        }
        var base = url ?? environment["SPOOL_URL"] ?? "http://127.0.0.1:8080"
        while base.hasSuffix("/") { base.removeLast() }
        return SpoolClient(baseURL: base, key: key)
    }

    /// Runs `body` with a client for the chosen server and shuts the client down afterwards, however `body` ends.
    func withClient<Result>(_ body: (SpoolClient) async throws -> Result) async throws -> Result {
        let client = try client()
        defer { client.shutdown() }
        return try await body(client)
    }
}
