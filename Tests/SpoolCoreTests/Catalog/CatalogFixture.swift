import Foundation
import SpoolCore
import SpoolJSON
import Testing

/// The repository's real catalog, and small helpers the catalog tests share.
enum CatalogFixture {
    /// `config/models` of this checkout, found from this file's location (`Tests/SpoolCoreTests/Catalog/`).
    static let directory: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("config/models").path

    static let referenceToVideo = "kling-video-o3-pro-reference-to-video"

    static func catalog() throws -> ModelCatalog {
        try ModelCatalog(directory: directory)
    }

    static func model(_ id: String = referenceToVideo) throws -> CatalogModel {
        try #require(try catalog().model(id: id))
    }

    static func json(_ text: String) throws -> JSONValue {
        try JSONValue(parsing: text)
    }

    /// The problems `model` finds in `input`, written as `field: message` for readable failures.
    static func problems(_ input: String, model id: String = referenceToVideo) throws -> [String] {
        try model(id).validate(json(input)).problems.map(\.description)
    }

    /// The accepted form of `input`, failing the test when it is rejected.
    static func accepted(_ input: String, model id: String = referenceToVideo) throws -> JSONValue {
        let result = try model(id).validate(json(input))
        #expect(result.problems.isEmpty, "unexpected problems: \(result.problems)")
        return try #require(result.acceptedInput)
    }
}
