import Foundation
import SpoolJSON
import SpoolSim
import SpoolTestSupport
import Testing
@testable import SpoolCore

/// What Spool sends with each submit, read back from the emulator's log of the requests it received.
@Suite("Submit headers sent to fal, read back from the emulator")
struct FalSubmitHeaderTests {
    /// Submits one job per (team, prompt suffix), waits for every one to end, and returns each submit the
    /// emulator received keyed by the suffix found in its prompt.
    static func submitsByPrompt(
        _ gateway: TestGateway, jobs: [(team: String, tag: String, extra: JSONObject)]
    ) async throws -> [String: SimRecordedRequest] {
        var ids: [String] = []
        var keys: [String: String] = [:]
        for job in jobs {
            if keys[job.team] == nil { keys[job.team] = try await gateway.key(team: job.team) }
            var input = try #require(exampleInput.objectValue)
            input["prompt"] = .string("@Element1 walks through @Image1 (\(job.tag))")
            let body = try await gateway.request(
                .post, "/v1/jobs", key: keys[job.team], json: submission(.object(input), extra: job.extra))
            #expect(body.status == 202)
            ids.append(try #require(body.json["id"]?.stringValue))
        }
        for (index, id) in ids.enumerated() {
            let job = try await gateway.waitUntilTerminal(id, key: keys[jobs[index].team]!)
            #expect(job["fal_request_id"]?.stringValue != nil, "job \(id) reached fal")
        }
        var submits: [String: SimRecordedRequest] = [:]
        for request in gateway.simulator.requestLog() where request.method == "POST" {
            let prompt = (try? JSONValue(parsing: Array(request.body.utf8)))?["prompt"]?.stringValue ?? ""
            if let tag = jobs.map(\.tag).first(where: { prompt.hasSuffix("(\($0))") }) { submits[tag] = request }
        }
        #expect(submits.count == jobs.count)
        return submits
    }

    @Test("every submit asks fal not to fall back, and none carries a queue priority, whatever the job's priority")
    func fallbackSwitchAndNoPriority() async throws {
        try await withGateway { gateway in
            let jobs = [("alpha", "low", ["priority": -100]), ("alpha", "high", ["priority": 100]),
                        ("beta", "plain", [:])] as [(String, String, JSONObject)]
            let submits = try await Self.submitsByPrompt(gateway, jobs: jobs.map { (team: $0.0, tag: $0.1, extra: $0.2) })
            for (tag, request) in submits {
                #expect(request.headers["x-app-fal-disable-fallback"] == "true", "submit \(tag)")
                #expect(request.headers["x-fal-queue-priority"] == nil, "submit \(tag)")
            }
            #expect(gateway.simulator.requestLog().allSatisfy { $0.headers["x-fal-queue-priority"]?.lowercased() != "low" })
        }
    }

    @Test("each team's output expiry and payload storage are sent as configured, and nothing for a team with the defaults")
    func retentionPerTeam() async throws {
        try await withGateway(configure: { configuration in
            configuration.teams.overrides["vault"] = .init(falOutputExpirySeconds: 600, falStoreIO: false)
            configuration.teams.overrides["shortlived"] = .init(falOutputExpirySeconds: 86_400)
        }) { gateway in
            let submits = try await Self.submitsByPrompt(gateway, jobs: [
                (team: "vault", tag: "vault", extra: [:]), (team: "shortlived", tag: "shortlived", extra: [:]),
                (team: "open", tag: "open", extra: [:]),
            ])
            let vault = try #require(submits["vault"])
            #expect(vault.headers["x-fal-store-io"] == "0")
            #expect(try Self.expiry(vault) == ["expiration_duration_seconds": 600])
            let shortlived = try #require(submits["shortlived"])
            #expect(shortlived.headers["x-fal-store-io"] == nil)
            #expect(try Self.expiry(shortlived) == ["expiration_duration_seconds": 86_400])
            let open = try #require(submits["open"])
            #expect(open.headers["x-fal-store-io"] == nil)
            #expect(open.headers["x-fal-object-lifecycle-preference"] == nil)
        }
    }

    @Test("a deadline with 1 s or less left at submit is not passed to fal; a longer one is")
    func shortDeadlineKeptInSpool() async throws {
        try await withGateway { gateway in
            let submits = try await Self.submitsByPrompt(gateway, jobs: [
                (team: "alpha", tag: "short", extra: ["deadline_seconds": 1.5]),
                (team: "alpha", tag: "long", extra: ["deadline_seconds": 600]),
            ])
            #expect(submits["short"]?.headers["x-fal-request-timeout"] == nil)
            let long = try #require(submits["long"]?.headers["x-fal-request-timeout"].flatMap { Int($0) })
            #expect((2...600).contains(long))
        }
    }

    @Test("a model whose catalog entry allows fallbacks is submitted without the switch")
    func fallbackAllowedByCatalog() async throws {
        let directory = try TemporaryDirectory()
        let models = directory.path + "/models"
        try FileManager.default.createDirectory(atPath: models, withIntermediateDirectories: true)
        let source = RepositoryPaths.root + "/config/models/\(exampleModel).json"
        let edited = try String(contentsOfFile: source, encoding: .utf8)
            .replacingOccurrences(of: #""allow_fallback": false"#, with: #""allow_fallback": true"#)
        try writeFile(models + "/\(exampleModel).json", edited)
        try await withGateway(directory: directory, configure: { $0.modelsDirectory = models }) { gateway in
            #expect(gateway.gateway.catalog.model(id: exampleModel)?.allowFallback == true)
            let submits = try await Self.submitsByPrompt(gateway, jobs: [(team: "alpha", tag: "free", extra: [:])])
            #expect(submits["free"]?.headers["x-app-fal-disable-fallback"] == nil)
        }
    }

    /// The `X-Fal-Object-Lifecycle-Preference` header of `request`, parsed.
    static func expiry(_ request: SimRecordedRequest) throws -> JSONValue {
        try JSONValue(parsing: Array(try #require(request.headers["x-fal-object-lifecycle-preference"]).utf8))
    }
}
