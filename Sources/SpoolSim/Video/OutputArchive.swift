import Foundation
import Logging
import SpoolJSON

/// The videos of successful runs, kept as files (`<request id>.mp4`) in one folder, so that an emulator started
/// again on the same port serves the video URLs an earlier one handed out (`SimulatorConfiguration.outputFolder`).
/// Only the video is kept; padding (`outputFileBytes`) is laid over it again when served.
struct OutputArchive: Sendable {
    let folder: String
    let logger: Logger

    /// An archive in `folder`, created when missing.
    init(folder: String, logger: Logger) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        self.folder = folder
        self.logger = logger
    }

    /// Writes the video of each request of `ended` that succeeded; failed and cancelled runs have none.
    func keep(_ ended: [EmulatedRequest], followingDuration: Bool) {
        for request in ended {
            guard case .completed(_, _, .succeeded) = request.phase, let path = path(of: request.id) else { continue }
            let file = OutputFile(for: request, size: nil, followsDuration: followingDuration)
            if !FileManager.default.createFile(atPath: path, contents: Data(file.video)) {
                logger.warning("cannot keep a video; it will not load after a restart",
                               metadata: ["request_id": .string(request.id), "path": .string(path)])
            }
        }
    }

    /// The kept video of request `id` and how many seconds ago it was kept, or nil when there is none.
    func video(of id: String) -> (bytes: [UInt8], ageSeconds: Double)? {
        guard let path = path(of: id), let data = FileManager.default.contents(atPath: path) else { return nil }
        let keptAt = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? Date()
        return (Array(data), Date().timeIntervalSince(keptAt))
    }

    /// The file of request `id`; nil for an id that is not one this emulator makes (lower-case hex and dashes),
    /// so that no request path can name a file outside the folder.
    private func path(of id: String) -> String? {
        guard !id.isEmpty, id.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || Hex.digitValue($0) != nil }) else { return nil }
        return folder + "/" + id + ".mp4"
    }
}
