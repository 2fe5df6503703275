import Foundation
import SpoolCore
import SpoolJSON
import Testing

@Suite("Model catalog loading")
struct CatalogLoadingTests {
    @Test("loads all seven models from config/models, sorted by id")
    func loadsAllModels() throws {
        let catalog = try CatalogFixture.catalog()
        #expect(catalog.models.map(\.id) == [
            "kling-video-o3-4k-reference-to-video",
            "kling-video-o3-pro-image-to-video",
            "kling-video-o3-pro-reference-to-video",
            "kling-video-o3-pro-text-to-video",
            "kling-video-o3-standard-image-to-video",
            "kling-video-o3-standard-reference-to-video",
            "kling-video-o3-standard-text-to-video",
        ])
        #expect(catalog.model(id: "kling-video-o3-pro-reference-to-video")?.falEndpoint
            == "fal-ai/kling-video/o3/pro/reference-to-video")
        #expect(catalog.model(id: "no-such-model") == nil)
    }

    @Test("every model's example input is accepted as it is")
    func examplesValidate() throws {
        for model in try CatalogFixture.catalog().models {
            #expect(model.validate(model.exampleInput) == .accepted(model.exampleInput), "\(model.id)")
        }
    }

    @Test("the public model object has exactly the contract's fields, and says whether it is the default")
    func publicObjectFields() throws {
        for model in try CatalogFixture.catalog().models {
            let object = try #require(model.publicObject.objectValue)
            #expect(object.keys == ["id", "object", "display_name", "description", "fal_endpoint", "model_type",
                                    "capabilities", "pricing", "json_request_schema", "default"])
            #expect(object["object"] == "model")
            #expect(object["id"] == .string(model.id))
            #expect(object["model_type"] == "video")
            #expect(object["capabilities"]?["output"] == ["video"])
            #expect(object["capabilities"]?.objectValue?.keys == ["input", "output"])
            #expect(object["pricing"]?.objectValue?.keys == ["usd_per_second"])
            #expect(object["json_request_schema"] == model.schema)
        }
        let pro = try CatalogFixture.model()
        #expect(pro.publicObject["capabilities"]?["input"] == ["text", "image"])
        #expect(pro.publicObject["pricing"]?["usd_per_second"]?.doubleValue == 0.224)
    }

    @Test("the list object wraps every model object")
    func listObject() throws {
        let catalog = try CatalogFixture.catalog()
        #expect(catalog.listObject["object"] == "list")
        #expect(catalog.listObject["data"]?.arrayValue?.count == 7)
        #expect(catalog.listObject["data"]?.arrayValue?.first == catalog.models.first?.publicObject)
    }

    @Test("the fal app is the endpoint's first two segments")
    func falApp() throws {
        for model in try CatalogFixture.catalog().models {
            #expect(model.falApp == "fal-ai/kling-video", "\(model.id)")
            #expect(model.falEndpoint.hasPrefix("fal-ai/kling-video/o3/"))
        }
    }

    @Test("prices are pro 0.224, standard 0.168, 4k 0.42 per second, and guessed ones say so")
    func prices() throws {
        for model in try CatalogFixture.catalog().models {
            let expected = model.id.contains("-pro-") ? 0.224 : model.id.contains("-standard-") ? 0.168 : 0.42
            #expect(model.usdPerSecond == expected, "\(model.id)")
            let isDocumentedPrice = model.id == CatalogFixture.referenceToVideo
            #expect(model.description.contains("Pricing is an estimate.") == !isDocumentedPrice, "\(model.id)")
        }
    }

    @Test("no model allows fal's fallbacks, and only the documented price is a price per billed unit")
    func fallbackAndBilledPrice() throws {
        for model in try CatalogFixture.catalog().models {
            #expect(!model.allowFallback, "\(model.id)")
            #expect(model.usdPerBillableUnit == (model.id == CatalogFixture.referenceToVideo ? 0.224 : nil), "\(model.id)")
        }
    }

    @Test("a file that is not JSON stops the load with an error naming it")
    func brokenFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("spool-catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = "kling-video-o3-pro-text-to-video.json"
        try FileManager.default.copyItem(atPath: CatalogFixture.directory + "/" + good,
                                         toPath: directory.appendingPathComponent(good).path)
        try Data("{\"id\": \"broken\",".utf8).write(to: directory.appendingPathComponent("broken.json"))
        try Data("not a model".utf8).write(to: directory.appendingPathComponent("README.txt"))

        let error = try #require(throws: CatalogError.self) { try ModelCatalog(directory: directory.path) }
        #expect(error.file == "broken.json")
        #expect(error.message.hasPrefix("is not valid JSON"))

        try FileManager.default.removeItem(at: directory.appendingPathComponent("broken.json"))
        #expect(try ModelCatalog(directory: directory.path).models.map(\.id) == ["kling-video-o3-pro-text-to-video"])
    }

    @Test("a directory without model files is an error")
    func emptyDirectory() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("spool-catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let error = try #require(throws: CatalogError.self) { try ModelCatalog(directory: directory.path) }
        #expect(error.message == "holds no *.json model files")
        #expect(throws: CatalogError.self) { try ModelCatalog(directory: directory.path + "/missing") }
    }

    /// The pro text-to-video file with `change` applied, loaded under `name`.
    private func loadEdited(name: String = "kling-video-o3-pro-text-to-video.json",
                            _ change: (inout JSONObject) -> Void) throws -> CatalogError {
        let original = try #require(FileManager.default.contents(atPath: CatalogFixture.directory + "/kling-video-o3-pro-text-to-video.json"))
        var document = try #require(try JSONValue(parsing: Array(original)).objectValue)
        change(&document)
        let file = CatalogFile(name: name, contents: JSONValue.object(document).serialized())
        return try #require(throws: CatalogError.self) { try ModelCatalog(files: [file]) }
    }

    @Test("a schema keyword the validator does not implement is refused, naming the file and the subschema")
    func unsupportedKeyword() throws {
        let error = try loadEdited { document in
            var schema = document["json_request_schema"]!.objectValue!
            var properties = schema["properties"]!.objectValue!
            var prompt = properties["prompt"]!.objectValue!
            prompt["maxlength"] = 10
            properties["prompt"] = .object(prompt)
            schema["properties"] = .object(properties)
            document["json_request_schema"] = .object(schema)
        }
        #expect(error.file == "kling-video-o3-pro-text-to-video.json")
        #expect(error.message == "json_request_schema #/properties/prompt: keyword \"maxlength\" is not supported")
    }

    @Test("an example input that its own schema refuses is an error")
    func invalidExample() throws {
        let error = try loadEdited { $0["example_input"] = ["prompt": "a boat", "duration": 99] }
        #expect(error.message == "example_input is not valid: input.duration: must be an integer from 3 to 15")
    }

    @Test("missing members, unknown members, unknown rules and misnamed files are errors")
    func malformedMembers() throws {
        #expect(try loadEdited { $0["pricing"] = nil }.message == "pricing is required")
        #expect(try loadEdited { $0["pricing"] = ["usd_per_second": "cheap"] }.message
            == "pricing.usd_per_second must be a number")
        #expect(try loadEdited { $0["colour"] = "blue" }.message.hasPrefix("unknown member \"colour\""))
        #expect(try loadEdited { $0["allow_fallback"] = "yes" }.message == "allow_fallback must be true or false")
        #expect(try loadEdited { $0["pricing"] = ["usd_per_second": 0.2, "usd_per_billable_unit": -1] }.message
            == "pricing.usd_per_billable_unit must not be negative")
        #expect(try loadEdited { $0["cross_field_rules"] = ["be_nice"] }.message.hasPrefix(
            "cross_field_rules: unknown rule \"be_nice\""))
        #expect(try loadEdited { $0["fal_endpoint"] = "kling" }.message.hasPrefix("fal_endpoint \"kling\" must be"))
        #expect(try loadEdited(name: "other.json") { _ in }.message
            == "must be named kling-video-o3-pro-text-to-video.json, after the model's id")
    }
}
