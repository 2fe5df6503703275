import SpoolJSON

/// The operations under `/v1/models`: the catalog as loaded at start.
enum ModelPaths {
    static let all: [OpenAPIOperation] = [
        OpenAPIOperation(
            .get, "/v1/models", id: "listModels", tag: "Models", summary: "List models",
            description: "Every model in the catalog, with its input schema.",
            responses: [("200", OpenAPIResponse.json("The models.", OpenAPISchema.ref("ModelList")))]),
        OpenAPIOperation(
            .get, "/v1/models/{id}", id: "getModel", tag: "Models", summary: "Read a model",
            description: "One model, with `json_request_schema`, the JSON Schema of its input.",
            parameters: [OpenAPIParameter.shared("ModelID")],
            responses: [
                ("200", OpenAPIResponse.json("The model.", OpenAPISchema.ref("Model"))),
                ("404", OpenAPIResponse.error("There is no such model.", codes: ["not_found"])),
            ]),
    ]
}
