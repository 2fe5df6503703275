import SpoolJSON

/// The OpenAPI 3.1 document of Spool's HTTP API (`GET /openapi.json`), built from the contract's pieces and the
/// model catalog: one input schema per model, `components.schemas["input.<model id>"]`.
package enum OpenAPIDocument {
    /// The whole document. Every route the gateway registers is in `paths` with its method, and nothing else.
    package static func make(catalog: ModelCatalog) -> JSONValue {
        let operations = JobPaths.all(catalog: catalog) + FilePaths.all + WebhookPaths.all + ModelPaths.all + OperationsPaths.all
        var paths = JSONObject()
        for operation in operations {
            var item = paths[operation.path]?.objectValue ?? JSONObject()
            item[operation.method.rawValue.lowercased()] = operation.json
            paths[operation.path] = .object(item)
        }
        let schemas = JobSchemas.all(catalog: catalog) + FileSchemas.all + ResourceSchemas.all + InputSchemas.all(catalog: catalog)
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "Spool", "version": .string(SpoolVersion.current), "description": .string(description),
            ],
            "security": [["bearer": []]],
            "tags": [
                ["name": "Jobs", "description": "Submit video-generation jobs and follow them."],
                ["name": "Files", "description": "Output files copied into Spool's storage: ranges, ETags and signed links."],
                ["name": "Models", "description": "The model catalog and each model's input schema."],
                ["name": "Webhooks", "description": "Downstream webhooks (Standard Webhooks): deliveries and the signing secret."],
                ["name": "fal", "description": "Callbacks from fal.ai."],
                ["name": "Operations", "description": "Health, readiness, queue depth, metrics and this document."],
                ["name": "Workbench", "description": "The browser page served by the gateway."],
            ],
            "paths": .object(paths),
            "components": [
                "schemas": .object(JSONObject(schemas)),
                "parameters": OpenAPIComponents.parameters,
                "headers": OpenAPIComponents.headers,
                "responses": OpenAPIComponents.responses,
                "securitySchemes": OpenAPIComponents.securitySchemes,
            ],
        ]
    }

    static let description = """
        Spool is a self-hosted gateway that takes video-generation jobs from internal teams, keeps them in SQLite, \
        forwards them to fal.ai's queue and tells the teams what happened.

        - JSON everywhere (`application/json; charset=utf-8`), UTF-8, snake_case fields. Times are RFC 3339 UTC \
        with milliseconds. Ids are opaque, URL-safe and sortable by creation: `job_…`, `dlv_…`, `key_…`.
        - Every error is `{"error": {"code", "message", "details"?}}` with a stable machine `code`.
        - `Authorization: Bearer <api key>` on everything under `/v1` except fal's callback. Missing or unknown key: \
        401 `unauthorized`. Another team's job: 404 `not_found`. A non-admin key on an admin route: 403 `forbidden`.
        - Limits: a body over the configured maximum (default 1 MiB) gets 413 `payload_too_large`; headers over \
        16 KiB in all get 431; malformed HTTP gets 400 and the connection closes; a method a known path does not \
        answer gets 405 with `Allow`. `HEAD` is answered wherever `GET` is.
        """
}
