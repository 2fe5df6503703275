import ArgumentParser
import SpoolJSON

/// Follows a job through its event stream until it ends: on a terminal, one live line (status, queue position,
/// elapsed time) with fal's log lines printed above it; otherwise a plain line per change. With `json`, each
/// event's job object or log line as one JSON line. Everything goes through ``Terminal`` (unbuffered), so status
/// and log lines keep their order in a pipe.
///
/// Ends normally when the job completes; throws ``JobDidNotComplete`` (a non-zero exit) when it fails or is
/// cancelled.
struct JobFollower {
    let client: SpoolClient
    let json: Bool

    static let terminal: Set<String> = ["completed", "failed", "cancelled"]

    func follow(_ id: String) async throws {
        let started = ContinuousClock.now
        var last: JSONValue = .null
        var lastLine = ""
        try await client.forEachEvent(ofJob: id) { event in
            if json {
                Terminal.line(event.data.serializedString())
            } else if event.name == "log" {
                Terminal.line("  fal: " + (event.data["message"]?.stringValue ?? event.data.serializedString()))
            }
            guard event.name == "status" else { return }
            last = event.data
            let elapsed = Terminal.duration(Double((ContinuousClock.now - started).components.seconds))
            var line = "\(last["status"]?.stringValue ?? "?")"
            if last["status"] == "in_queue", let position = last["queue_position"]?.integerValue {
                line += " · queue position \(position)"
            }
            line += " · \(elapsed)"
            if !json, line != lastLine {
                if Terminal.isInteractive { Terminal.overwrite(line) } else { Terminal.line(line) }
                lastLine = line
            }
        }
        if !json {
            if Terminal.isInteractive { Terminal.line(lastLine) }
            Terminal.line(JobText.summary(last))
        }
        guard last["status"]?.stringValue == "completed" else {
            throw JobDidNotComplete(status: last["status"]?.stringValue ?? "unknown")
        }
    }
}

/// The followed job ended without completing.
struct JobDidNotComplete: Error, CustomStringConvertible {
    let status: String
    var description: String { "the job ended \(status)" }
}

/// `spool jobs wait ID`.
struct WaitJobCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wait",
        abstract: "Follow a job until it ends, with a live status line; exits non-zero unless it completed.")

    @OptionGroup var options: ClientOptions

    @Argument(help: "The job's id.")
    var id: String

    func run() async throws {
        try await options.withClient { try await JobFollower(client: $0, json: options.json).follow(id) }
    }
}

/// `spool jobs events ID`: the job's event stream, one line per event.
struct JobEventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events", abstract: "Print a job's events (transitions and fal's log lines) until it ends.")

    @OptionGroup var options: ClientOptions

    @Argument(help: "The job's id.")
    var id: String

    func run() async throws {
        let json = options.json
        try await options.withClient { client in
            try await client.forEachEvent(ofJob: id) { event in
                if json {
                    print(#"{"event":"# + JSONValue.string(event.name).serializedString() + #","data":"#
                        + event.data.serializedString() + "}")
                } else if event.name == "status" {
                    print("status  " + JobText.summary(event.data))
                } else {
                    print("\(event.name)  " + (event.data["message"]?.stringValue ?? event.data.serializedString()))
                }
            }
        }
    }
}
