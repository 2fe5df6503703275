import Foundation
import SpoolJSON

/// A catalog file's name and bytes, for loading a catalog that is not in a directory (embedded in the binary,
/// or built by a test).
package struct CatalogFile: Sendable {
    package let name: String
    package let contents: [UInt8]

    package init(name: String, contents: [UInt8]) {
        self.name = name
        self.contents = contents
    }
}

/// The models Spool offers, loaded from one JSON file per model (`config/models/<id>.json`).
///
/// A file holds one object with these members:
/// - `id`, `display_name`, `description`, `fal_endpoint`, `model_type`, `capabilities` (`input`, `output`),
///   `pricing` (`usd_per_second`) and `json_request_schema`: published as the model object of the API;
///   the schema must declare `properties.duration` with a default, which cost estimates use;
/// - `cross_field_rules` (optional): names of `CrossFieldRule`s, such as `"prompt_references"`;
/// - `fal_input_mapping` (optional): how accepted input is renamed for fal, see `FalInputMapping`;
/// - `example_input`: a small input that the model must accept.
///
/// Loading is all or nothing: any file that is not valid JSON, misses a member, has a schema this validator
/// cannot use, or an `example_input` its own schema refuses stops the load with an error naming that file.
package struct ModelCatalog: Sendable {
    /// Every model, sorted by id.
    package let models: [CatalogModel]
    private let modelsByID: [String: CatalogModel]

    /// Loads every `*.json` file in `directory` (other files are ignored). An empty catalog is an error, since it
    /// most likely means the wrong directory.
    package init(directory: String) throws(CatalogError) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }.sorted()
        } catch {
            throw CatalogError(file: directory, message: "cannot list the directory: \(error.localizedDescription)")
        }
        var files: [CatalogFile] = []
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CatalogError(file: name, message: "cannot read \(path)")
            }
            files.append(CatalogFile(name: name, contents: Array(data)))
        }
        guard !files.isEmpty else { throw CatalogError(file: directory, message: "holds no *.json model files") }
        try self.init(files: files)
    }

    /// Loads the given files. Each must be called `<id>.json`, after the model it describes.
    package init(files: [CatalogFile]) throws(CatalogError) {
        var modelsByID: [String: CatalogModel] = [:]
        var fileByID: [String: String] = [:]
        for file in files {
            let document: JSONValue
            do {
                document = try JSONValue(parsing: file.contents)
            } catch {
                throw CatalogError(file: file.name, message: "is not valid JSON: \(error)")
            }
            let model = try CatalogModel(document: document, file: file.name)
            if file.name != model.id + ".json" {
                throw CatalogError(file: file.name, message: "must be named \(model.id).json, after the model's id")
            }
            if let earlier = fileByID[model.id] {
                throw CatalogError(file: file.name, message: "id \"\(model.id)\" is already used by \(earlier)")
            }
            modelsByID[model.id] = model
            fileByID[model.id] = file.name
        }
        let defaults = modelsByID.values.filter(\.isDefault).map(\.id).sorted()
        if defaults.count > 1 {
            throw CatalogError(file: defaults.map { $0 + ".json" }.joined(separator: ", "),
                               message: "more than one model says \"default\": true; keep it on one")
        }
        self.modelsByID = modelsByID
        self.models = modelsByID.values.sorted { $0.id < $1.id }
    }

    /// The model the catalog names its default, or nil when none does.
    package var defaultModel: CatalogModel? { models.first(where: \.isDefault) }

    /// The model with catalog id `id`, or nil.
    package func model(id: String) -> CatalogModel? { modelsByID[id] }

    /// The body of `GET /v1/models`: `{"object": "list", "data": [model objects]}`.
    package var listObject: JSONValue {
        ["object": "list", "data": .array(models.map(\.publicObject))]
    }
}
