/// Why the model catalog cannot be loaded: the file (or directory) concerned and what is wrong with it.
public struct CatalogError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The model file's name (`kling-video-o3-pro-reference-to-video.json`), or the directory's path.
    public let file: String
    public let message: String

    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { "model catalog: \(file): \(message)" }
}
