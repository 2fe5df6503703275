import ArgumentParser
import Foundation
import SpoolJSON

/// `spool jobs …`: a terminal client of any Spool, over its HTTP API.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "Submit, follow and fetch jobs on a Spool server (SPOOL_URL, SPOOL_KEY, or --url/--key).",
        discussion: """
            Every command prints text for people, or the server's JSON with --json. A refused request prints the \
            server's message and each field's problem, and exits non-zero.
            """,
        subcommands: [
            SubmitJobCommand.self, GetJobCommand.self, ListJobsCommand.self, CancelJobCommand.self,
            WaitJobCommand.self, JobEventsCommand.self, DownloadJobCommand.self,
        ])
}

/// The one-line text form of a job for people: id, status, model, and its video or error once it has one.
enum JobText {
    static func summary(_ job: JSONValue) -> String {
        var line = [job["id"], job["status"], job["model"]].map { $0?.stringValue ?? "?" }.joined(separator: "  ")
        if let position = job["queue_position"]?.integerValue { line += "  queue position \(position)" }
        if let url = job["result"]?["video"]?["url"]?.stringValue { line += "\n  video  \(url)" }
        if let error = job["error"]?.objectValue {
            line += "\n  error  \(error["code"]?.stringValue ?? "?"): \(error["message"]?.stringValue ?? "")"
        }
        return line
    }

    /// Prints `value` as compact JSON (for `--json`).
    static func printJSON(_ value: JSONValue) {
        print(value.serializedString())
    }

    /// Prints a job as the server sent it (`json`) or as its one-line summary.
    static func printJob(_ job: JSONValue, json: Bool) {
        if json { printJSON(job) } else { print(summary(job)) }
    }
}

/// `spool jobs submit MODEL -i name=value… [--file input.json] [--wait] [--webhook URL]`.
struct SubmitJobCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit", abstract: "Submit a job; with --wait, follow it to the end.")

    @OptionGroup var options: ClientOptions

    @Argument(help: "The model's id (see GET /v1/models).")
    var model: String

    @Option(name: [.customShort("i"), .customLong("input")],
            help: "An input field, name=value; numbers, true/false and JSON arrays/objects are typed, the rest is text.")
    var inputs: [InputAssignment] = []

    @Option(name: .long, help: "A JSON file holding the input object; -i fields are laid over it.")
    var file: String?

    @Option(name: .long, help: "A URL to notify when the job ends.")
    var webhook: String?

    @Flag(name: .long, help: "Follow the job until it ends (as `spool jobs wait`).")
    var wait = false

    func run() async throws {
        var input = JSONObject()
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
            guard let object = try JSONValue(parsing: Array(data)).objectValue else {
                throw ValidationError("\(file) must hold a JSON object (the job's input)")
            }
            input = object
        }
        for assignment in inputs { input[assignment.name] = assignment.value }
        var body: JSONObject = ["model": .string(model), "input": .object(input)]
        if let webhook { body["webhook_url"] = .string(webhook) }

        try await options.withClient { client in
            let job = try await client.send(.post, "/v1/jobs", body: .object(body))
            guard wait else { return JobText.printJob(job, json: options.json) }
            Terminal.line(options.json ? job.serializedString() : "submitted \(job["id"]?.stringValue ?? "?")")
            try await JobFollower(client: client, json: options.json).follow(job["id"]?.stringValue ?? "")
        }
    }
}

/// `spool jobs get ID`.
struct GetJobCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "Show a job.")

    @OptionGroup var options: ClientOptions

    @Argument(help: "The job's id.")
    var id: String

    func run() async throws {
        let job = try await options.withClient { try await $0.send(.get, "/v1/jobs/" + id) }
        JobText.printJob(job, json: options.json)
    }
}

/// `spool jobs list [--status S] [--model M] [--limit N]`.
struct ListJobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List recent jobs, newest first.")

    @OptionGroup var options: ClientOptions

    @Option(name: .long, help: "Only jobs with this status.")
    var status: String?

    @Option(name: .long, help: "Only jobs of this model.")
    var model: String?

    @Option(name: .long, help: "At most this many jobs (1…200).")
    var limit: Int = 20

    func run() async throws {
        var query = ["limit=\(limit)"]
        if let status { query.append("status=" + status) }
        if let model { query.append("model=" + model) }
        let list = try await options.withClient { try await $0.send(.get, "/v1/jobs?" + query.joined(separator: "&")) }
        if options.json { return JobText.printJSON(list) }
        for job in list["data"]?.arrayValue ?? [] { print(JobText.summary(job)) }
    }
}

/// `spool jobs cancel ID`.
struct CancelJobCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel a job.")

    @OptionGroup var options: ClientOptions

    @Argument(help: "The job's id.")
    var id: String

    func run() async throws {
        let job = try await options.withClient { try await $0.send(.post, "/v1/jobs/\(id)/cancel") }
        JobText.printJob(job, json: options.json)
    }
}
