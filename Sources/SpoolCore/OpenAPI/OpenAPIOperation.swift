import SpoolHTTP
import SpoolJSON

/// One operation of the document: a method on a path pattern (the router's own pattern, such as
/// `/v1/jobs/{id}`) and what it answers.
///
/// An authenticated operation inherits the document's bearer requirement and gets the shared 401 answer; any
/// other gets `security: []`, which OpenAPI reads as "no credentials needed".
struct OpenAPIOperation: Sendable {
    let method: HTTPMethod
    let path: String
    let json: JSONValue

    init(
        _ method: HTTPMethod, _ path: String, id: String, tag: String, summary: String, description: String,
        authenticated: Bool = true, parameters: [JSONValue] = [], requestBody: JSONValue? = nil,
        responses: [(String, JSONValue)]
    ) {
        self.method = method
        self.path = path
        var responses = JSONObject(responses)
        var operation: JSONObject = [
            "operationId": .string(id), "tags": [.string(tag)], "summary": .string(summary),
            "description": .string(description),
        ]
        if !parameters.isEmpty { operation["parameters"] = .array(parameters) }
        if let requestBody { operation["requestBody"] = requestBody }
        if authenticated {
            if responses["401"] == nil { responses["401"] = OpenAPIResponse.shared("Unauthorized") }
        } else {
            operation["security"] = []
        }
        operation["responses"] = .object(responses)
        json = .object(operation)
    }
}

/// Constructors for the `responses` of an operation.
enum OpenAPIResponse {
    /// A response defined once in `components.responses`.
    static func shared(_ name: String) -> JSONValue {
        ["$ref": .string("#/components/responses/" + name)]
    }

    /// A JSON answer with `schema`, and the named headers from `components.headers`.
    static func json(_ description: String, _ schema: JSONValue, headers: [String] = []) -> JSONValue {
        content(description, type: "application/json", schema: schema, headers: headers)
    }

    /// An answer of one media type.
    static func content(
        _ description: String, type: String, schema: JSONValue, headers: [String] = []
    ) -> JSONValue {
        var response: JSONObject = ["description": .string(description)]
        if !headers.isEmpty { response["headers"] = headerReferences(headers) }
        response["content"] = [type: ["schema": schema]]
        return .object(response)
    }

    /// An answer that is either JSON or a server-sent event stream, as `POST /v1/jobs` with `Accept`.
    static func jsonOrEvents(_ description: String, _ schema: JSONValue, headers: [String] = []) -> JSONValue {
        var response: JSONObject = ["description": .string(description)]
        if !headers.isEmpty { response["headers"] = headerReferences(headers) }
        response["content"] = [
            "application/json": ["schema": schema],
            "text/event-stream": ["schema": OpenAPIComponents.eventStreamSchema],
        ]
        return .object(response)
    }

    /// The contract's error body, naming the machine codes this answer can carry.
    static func error(_ description: String, codes: [String], headers: [String] = []) -> JSONValue {
        let listed = codes.map { "`\($0)`" }.joined(separator: ", ")
        var response: JSONObject = ["description": .string("\(description) Codes: \(listed).")]
        if !headers.isEmpty { response["headers"] = headerReferences(headers) }
        response["content"] = [
            "application/json": [
                "schema": OpenAPISchema.ref("Error"),
                "example": ["error": ["code": .string(codes[0]), "message": .string(description)]],
            ],
        ]
        return .object(response)
    }

    private static func headerReferences(_ names: [String]) -> JSONValue {
        .object(JSONObject(names.map { ($0, ["$ref": .string("#/components/headers/" + $0)]) }))
    }
}

/// Constructors for the `parameters` of an operation.
enum OpenAPIParameter {
    /// A parameter defined once in `components.parameters`.
    static func shared(_ name: String) -> JSONValue {
        ["$ref": .string("#/components/parameters/" + name)]
    }

    static func query(_ name: String, _ schema: JSONValue, _ description: String, required: Bool = false) -> JSONValue {
        ["name": .string(name), "in": "query", "required": .bool(required), "description": .string(description),
         "schema": schema]
    }

    static func path(_ name: String, _ description: String, example: String) -> JSONValue {
        ["name": .string(name), "in": "path", "required": true, "description": .string(description),
         "schema": ["type": "string"], "example": .string(example)]
    }

    static func header(_ name: String, _ schema: JSONValue, _ description: String) -> JSONValue {
        ["name": .string(name), "in": "header", "required": false, "description": .string(description), "schema": schema]
    }
}
