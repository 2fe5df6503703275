import ArgumentParser
import Foundation
import SpoolJSON

/// `spool jobs download ID [-o FILE]`: the completed job's video, with a progress bar on a terminal.
struct DownloadJobCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "download", abstract: "Save a completed job's video (its result's video URL).")

    @OptionGroup var options: ClientOptions

    @Argument(help: "The job's id.")
    var id: String

    @Option(name: .shortAndLong, help: "Where to save it (default: the result's file name, else ID.mp4).")
    var output: String?

    func run() async throws {
        try await options.withClient { client in
            let result = try await client.send(.get, "/v1/jobs/\(id)/result")
            guard let url = result["video"]?["url"]?.stringValue else {
                throw ValidationError("job \(id)'s result has no video URL")
            }
            let path = output ?? result["video"]?["file_name"]?.stringValue.map { ($0 as NSString).lastPathComponent }
                ?? "\(id).mp4"
            let response = try await client.stream(url)
            let total = response.headers["Content-Length"].flatMap(Int.init)
            guard FileManager.default.createFile(atPath: path, contents: nil),
                  let file = FileHandle(forWritingAtPath: path) else {
                throw ValidationError("cannot write \(path)")
            }
            defer { try? file.close() }
            var received = 0
            let bar = ProgressBar(total: total, enabled: Terminal.isInteractive && !options.json)
            for try await chunk in response.body {
                try file.write(contentsOf: chunk)
                received += chunk.count
                bar.show(received)
            }
            bar.finish(received)
            if options.json {
                JobText.printJSON(["path": .string(path), "bytes": .integer(Int64(received)), "url": .string(url)])
            } else {
                print("saved \(path) (\(received) bytes)")
            }
        }
    }
}

/// A one-line progress bar on a terminal: `[#####-----]  52%  1.2 MB`.
struct ProgressBar {
    let total: Int?
    let enabled: Bool

    func show(_ received: Int) {
        guard enabled else { return }
        let megabytes = String(format: "%.1f MB", Double(received) / 1_000_000)
        guard let total, total > 0 else { return Terminal.overwrite(megabytes) }
        let fraction = min(1, Double(received) / Double(total))
        let filled = Int(fraction * 30)
        Terminal.overwrite("[" + String(repeating: "#", count: filled) + String(repeating: "-", count: 30 - filled)
                           + "] \(Int(fraction * 100))%  " + megabytes)
    }

    func finish(_ received: Int) {
        guard enabled else { return }
        show(received)
        Terminal.line("")
    }
}
