import Foundation
import SpoolJSON
import Testing
@testable import SpoolCore

@Suite("The catalog's default model")
struct DefaultModelTests {
    @Test("the catalog names Kling O3 Pro reference-to-video its default, and GET /v1/models says so on that model only")
    func defaultIsReferenceToVideo() async throws {
        #expect(try CatalogFixture.catalog().defaultModel?.id == CatalogFixture.referenceToVideo)
        try await withGateway { spool in
            let key = try await spool.key(team: "studio")
            let models = try await spool.request(.get, "/v1/models", key: key).json["data"]?.arrayValue ?? []
            #expect(models.filter { $0["default"]?.boolValue == true }.compactMap { $0["id"]?.stringValue }
                    == [CatalogFixture.referenceToVideo])
            #expect(models.allSatisfy { $0["default"]?.boolValue != nil }, "every model says true or false")
        }
    }

    @Test("two models that both say default, or a default that is not a boolean, stop the load naming the files")
    func oneDefaultOnly() throws {
        let source = try #require(FileManager.default.contents(atPath: CatalogFixture.directory + "/kling-video-o3-pro-text-to-video.json"))
        var document = try #require(try JSONValue(parsing: Array(source)).objectValue)
        document["default"] = true
        let reference = try #require(FileManager.default.contents(atPath: CatalogFixture.directory + "/" + CatalogFixture.referenceToVideo + ".json"))
        let files = [
            CatalogFile(name: "kling-video-o3-pro-text-to-video.json", contents: JSONValue.object(document).serialized()),
            CatalogFile(name: CatalogFixture.referenceToVideo + ".json", contents: Array(reference)),
        ]
        #expect(throws: CatalogError.self) { try ModelCatalog(files: files) }
        do {
            _ = try ModelCatalog(files: files)
        } catch {
            #expect(error.description.contains("kling-video-o3-pro-text-to-video.json"), "\(error)")
        }
        document["default"] = "yes"
        let notBoolean = [CatalogFile(name: "kling-video-o3-pro-text-to-video.json", contents: JSONValue.object(document).serialized())]
        #expect(throws: CatalogError.self) { try ModelCatalog(files: notBoolean) }
    }
}
