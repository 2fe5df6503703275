import SpoolJSON

/// The catalog's input schemas as components of the document, `input.<model id>`, and the submit request that
/// binds each model id to its own input schema.
///
/// A model's `json_request_schema` goes in unchanged but for two things that make it sit correctly inside
/// another document: its `$schema` is dropped (JSON Schema allows that keyword only at the root of a schema
/// resource), and its local references `#/$defs/…` are rewritten to `#/components/schemas/input.<id>/$defs/…`,
/// since `#` now means the OpenAPI document. Its `x-` keywords stay: OpenAPI 3.1 schemas allow them.
enum InputSchemas {
    typealias S = OpenAPISchema

    static func componentName(_ model: CatalogModel) -> String { "input." + model.id }

    static func all(catalog: ModelCatalog) -> [(String, JSONValue)] {
        catalog.models.map { (componentName($0), embedded($0)) }
    }

    static func embedded(_ model: CatalogModel) -> JSONValue {
        guard var schema = model.schema.objectValue else { return model.schema }
        schema["$schema"] = nil
        return rebase(.object(schema), onto: "#/components/schemas/" + componentName(model))
    }

    /// Keywords whose values are data, not schemas: a `$ref` inside them is not a reference.
    private static let dataKeywords: Set<String> = ["enum", "const", "default", "examples", "example"]

    private static func rebase(_ value: JSONValue, onto base: String) -> JSONValue {
        switch value {
        case .object(let object):
            var rebased = JSONObject()
            for (key, member) in object {
                if key == "$ref", let target = member.stringValue, target.hasPrefix("#") {
                    rebased[key] = .string(base + target.dropFirst())
                } else if dataKeywords.contains(key) || key.hasPrefix("x-") {
                    rebased[key] = member
                } else {
                    rebased[key] = rebase(member, onto: base)
                }
            }
            return .object(rebased)
        case .array(let items):
            return .array(items.map { rebase($0, onto: base) })
        default:
            return value
        }
    }

    /// The body of `POST /v1/jobs`. `input` is any of the models' inputs; the `oneOf` then pairs each `model`
    /// with its own input schema (exactly one branch can match, since each names a different model).
    static func submitRequest(catalog: ModelCatalog) -> JSONValue {
        let names = catalog.models.map(\.id) + catalog.models.map(\.falEndpoint)
        let inputs = catalog.models.map { S.ref(componentName($0)) }
        let properties: [(String, JSONValue)] = [
            ("model", S.choice("The model to run: an id from `GET /v1/models`, or that model's `fal_endpoint` (the job records the id). Unknown: 422 `unknown_model`, with the nearest known name when one is close.", names)),
            ("input", [
                "description": "The model's input, checked against its `json_request_schema` before anything is stored; every problem is reported (422 `validation_failed`, one `details` entry each, such as `input.elements[0].reference_image_urls[1]`).",
                "anyOf": .array(inputs),
            ]),
            ("webhook_url", S.nullable(S.string("Where to send webhook events about this job (Standard Webhooks). Loopback and private addresses are refused unless configured otherwise.", format: "uri"))),
            ("webhook_events", S.nullable(S.array(JobSchemas.webhookEvent, "Which events to send; default the three terminal ones. `job.status` asks for every transition.", minItems: 1))),
            ("metadata", S.nullable(S.object("Anything to keep with the job, at most 16 KiB serialized; echoed back untouched.", [], additionalProperties: true))),
            ("priority", S.nullable(S.integer("Higher runs first.", minimum: -100, maximum: 100, default: 0))),
            ("deadline_seconds", S.nullable([
                "type": "number", "exclusiveMinimum": 0, "maximum": 604800,
                "description": "A job not completed this many seconds after submission is cancelled at fal and ends `failed` with `deadline_exceeded`.",
            ])),
        ]
        let pairs: [JSONValue] = catalog.models.map { model in
            [
                "title": .string(model.displayName),
                "properties": [
                    "model": ["enum": [.string(model.id), .string(model.falEndpoint)]], "input": S.ref(componentName(model)),
                ],
            ]
        }
        return S.with(
            S.object("A job to run.", properties, required: ["model", "input"], additionalProperties: false),
            [("oneOf", .array(pairs))])
    }
}
