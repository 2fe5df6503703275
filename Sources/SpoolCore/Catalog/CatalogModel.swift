import SpoolJSON

/// One model Spool can run, as its catalog file describes it: what it is called, where fal serves it, what it
/// costs, and what input it takes.
///
/// Created from a catalog file by `ModelCatalog`; every member is checked when the file is read, the schema is
/// compiled once, and the file's `example_input` must pass `validate(_:)`, so a model that loads is usable.
package struct CatalogModel: Sendable {
    /// The catalog id clients name in `"model"`, such as `kling-video-o3-pro-reference-to-video`.
    package let id: String
    package let displayName: String
    package let description: String
    /// fal's endpoint id, the path of the submit URL: `fal-ai/kling-video/o3/pro/reference-to-video`.
    package let falEndpoint: String
    /// The endpoint's app, its first two path segments (`fal-ai/kling-video`), used in every queue URL after
    /// submit (status, result, cancel).
    package let falApp: String
    package let modelType: String
    /// What the model takes and produces (`["text", "image"]`, `["video"]`).
    package let inputCapabilities: [String]
    package let outputCapabilities: [String]
    /// The price used for estimates, in US dollars per second of output video.
    package let usdPerSecond: Double
    /// What fal charges per unit it bills (`X-Fal-Billable-Units`), when the catalog knows it
    /// (`pricing.usd_per_billable_unit`; Kling bills seconds of video); nil leaves billed units without a price.
    package let usdPerBillableUnit: Double?
    /// Whether fal may run this request on an "equivalent alternative endpoint" (`allow_fallback`, default
    /// false): when false every submit carries `x-app-fal-disable-fallback: true`.
    package let allowFallback: Bool
    /// The JSON Schema of `input`, as published in `json_request_schema`.
    package let schema: JSONValue
    /// A small valid input, for documentation and tests.
    package let exampleInput: JSONValue
    /// The model object of `GET /v1/models/{id}`: exactly the fields of the API contract, none of the catalog
    /// file's internal ones.
    package let publicObject: JSONValue
    /// Whether the catalog names this model its default (`"default": true`): the one clients offer first.
    package let isDefault: Bool

    let validator: SchemaValidator
    let rules: [CrossFieldRule]
    let falMapping: FalInputMapping
    /// The schema's default `duration`, used when an input gives none.
    let defaultDurationSeconds: Int64

    static let fileKeys: Set<String> = [
        "id", "display_name", "description", "fal_endpoint", "model_type", "capabilities", "pricing",
        "json_request_schema", "cross_field_rules", "fal_input_mapping", "example_input", "allow_fallback", "default",
    ]

    /// Reads one catalog file's document. `file` is the file's name, used in errors.
    package init(document: JSONValue, file: String) throws(CatalogError) {
        let reader = try ModelFileReader(document: document, file: file, allowedKeys: CatalogModel.fileKeys)
        id = try reader.string("id")
        guard CatalogModel.isValidID(id) else {
            throw reader.failure(
                "id \"\(id)\" must be lowercase letters, digits, '.', '_' and '-', starting with a letter or digit")
        }
        displayName = try reader.string("display_name")
        description = try reader.string("description")
        falEndpoint = try reader.string("fal_endpoint")
        let segments = falEndpoint.split(separator: "/", omittingEmptySubsequences: false)
        guard segments.count >= 2, !segments.contains(where: \.isEmpty) else {
            throw reader.failure(
                "fal_endpoint \"\(falEndpoint)\" must be an endpoint id such as \"fal-ai/kling-video/o3/pro/reference-to-video\"")
        }
        falApp = segments[0] + "/" + segments[1]
        modelType = try reader.string("model_type")
        let capabilities = try reader.member("capabilities", allowedKeys: ["input", "output"])
        inputCapabilities = try capabilities.strings("input")
        outputCapabilities = try capabilities.strings("output")
        let pricing = try reader.member("pricing", allowedKeys: ["usd_per_second", "usd_per_billable_unit"])
        usdPerSecond = try pricing.number("usd_per_second")
        guard usdPerSecond >= 0 else { throw reader.failure("pricing.usd_per_second must not be negative") }
        usdPerBillableUnit = try pricing.optionalValue("usd_per_billable_unit") == nil
            ? nil : pricing.number("usd_per_billable_unit")
        guard (usdPerBillableUnit ?? 0) >= 0 else {
            throw reader.failure("pricing.usd_per_billable_unit must not be negative")
        }
        allowFallback = try reader.optionalBool("allow_fallback") ?? false

        schema = try reader.value("json_request_schema")
        do {
            validator = try SchemaValidator(schema: schema)
        } catch {
            throw reader.failure("json_request_schema \(error)")
        }
        guard schema["type"]?.stringValue == "object" else {
            throw reader.failure("json_request_schema must have \"type\": \"object\"")
        }
        guard let duration = schema["properties"]?["duration"]?["default"]?.integerValue, duration > 0 else {
            throw reader.failure(
                "json_request_schema must declare properties.duration with a positive integer default (cost estimates use it)")
        }
        defaultDurationSeconds = duration

        rules = try reader.optionalValue("cross_field_rules") == nil ? [] : reader.strings("cross_field_rules").map {
            (name: String) throws(CatalogError) -> CrossFieldRule in
            guard let rule = CrossFieldRule(rawValue: name) else {
                let known = CrossFieldRule.allCases.map(\.rawValue).joined(separator: ", ")
                throw reader.failure("cross_field_rules: unknown rule \"\(name)\" (known: \(known))")
            }
            return rule
        }
        falMapping = try reader.optionalValue("fal_input_mapping").map { (json: JSONValue) throws(CatalogError) in
            try FalInputMapping(json: json, file: file)
        } ?? FalInputMapping()
        exampleInput = try reader.value("example_input")
        isDefault = try reader.optionalValue("default").map { (value: JSONValue) throws(CatalogError) -> Bool in
            guard let flag = value.boolValue else { throw reader.failure("default must be true or false") }
            return flag
        } ?? false

        publicObject = [
            "id": .string(id), "object": "model", "display_name": .string(displayName),
            "description": .string(description), "fal_endpoint": .string(falEndpoint), "model_type": .string(modelType),
            "capabilities": ["input": .array(inputCapabilities.map(JSONValue.string)),
                             "output": .array(outputCapabilities.map(JSONValue.string))],
            "pricing": ["usd_per_second": .number(usdPerSecond)],
            "json_request_schema": schema, "default": .bool(isDefault),
        ]

        let problems = validate(exampleInput).problems
        guard problems.isEmpty else {
            throw reader.failure("example_input is not valid: " + problems.map(\.description).joined(separator: "; "))
        }
    }

    private static func isValidID(_ id: String) -> Bool {
        id.utf8.enumerated().allSatisfy { position, byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return true
            case UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"): return position > 0
            default: return false
            }
        }
    }
}
