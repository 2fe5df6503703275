/// Why the model catalog cannot be loaded: the file (or directory) concerned and what is wrong with it.
package struct CatalogError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The model file's name (`kling-video-o3-pro-reference-to-video.json`), or the directory's path.
    package let file: String
    package let message: String

    package init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    package var description: String { "model catalog: \(file): \(message)" }
}
