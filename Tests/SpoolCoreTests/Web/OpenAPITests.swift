import SpoolFal
import SpoolHTTP
import SpoolJSON
import Testing
@testable import SpoolCore

@Suite("/openapi.json: the whole API, as the server really answers it")
struct OpenAPITests {
    @Test("the document is served as JSON, is OpenAPI 3.1, and has exactly the router's routes and methods")
    func routesMatchTheRouter() async throws {
        try await withGateway { spool in
            let answer = try await spool.request(.get, "/openapi.json")
            #expect(answer.status == 200)
            #expect(answer.headers["Content-Type"] == "application/json; charset=utf-8")
            let document = answer.json
            #expect(document["openapi"]?.stringValue == "3.1.0")

            let routed = Set(spool.gateway.routes.filter { $0.method != .head }.map { "\($0.method.rawValue) \($0.pattern)" })
            var documented: Set<String> = []
            for (path, item) in document["paths"]?.objectValue ?? [:] {
                for (method, _) in item.objectValue ?? [:] { documented.insert("\(method.uppercased()) \(path)") }
            }
            #expect(routed.subtracting(documented).isEmpty, "routes missing from the document")
            #expect(documented.subtracting(routed).isEmpty, "documented operations the server does not route")
            #expect(routed.count >= 20)
        }
    }

    @Test("every $ref points at something in the document, and every model has its input schema")
    func referencesResolve() async throws {
        try await withGateway { spool in
            let document = try await spool.request(.get, "/openapi.json").json
            var references: [String] = []
            collectReferences(document, into: &references)
            #expect(references.count > 50)
            for reference in references {
                #expect(resolve(reference, in: document) != nil, "unresolved \(reference)")
            }

            let schemas = document["components"]?["schemas"]
            let submit = schemas?["SubmitRequest"]
            #expect(submit?["properties"]?["input"]?["anyOf"]?.arrayValue?.count == spool.gateway.catalog.models.count)
            for model in spool.gateway.catalog.models {
                let input = try #require(schemas?["input." + model.id], "no input schema for \(model.id)")
                #expect(input["$schema"] == nil)
                #expect(input["properties"]?.objectValue?.keys == model.schema["properties"]?.objectValue?.keys)
                #expect(input["additionalProperties"] == model.schema["additionalProperties"])
                #expect(input["x-aliases"] == model.schema["x-aliases"])
                let modelEnum = submit?["properties"]?["model"]?["enum"]?.arrayValue ?? []
                #expect(modelEnum.contains(.string(model.id)))
            }
            for name in ["Job", "JobEvent", "Error", "JobList", "Model", "ModelList", "Delivery", "DeliveryList", "Queue",
                         "WebhookSecret", "SubmitRequest"] {
                #expect(schemas?[name] != nil, "schema \(name) is missing")
            }
        }
    }

    @Test("the routes documented as needing the bearer key answer 401 without it, and only those")
    func securityMatchesTheServer() async throws {
        try await withGateway { spool in
            let document = try await spool.request(.get, "/openapi.json").json
            var checked = 0
            for (path, item) in document["paths"]?.objectValue ?? [:] {
                for (method, operation) in item.objectValue ?? [:] {
                    let open = operation["security"] == .array([])
                    let target = path.replacingOccurrences(of: "{id}", with: "job_0").replacingOccurrences(of: "{delivery_id}", with: "dlv_0")
                    let answer = try await spool.request(method == "post" ? .post : .get, target, body: Array("{}".utf8))
                    if open {
                        #expect(answer.status != 401, "\(method) \(path) is documented as open but answered 401")
                    } else {
                        #expect(answer.status == 401, "\(method) \(path) needs a key but answered \(answer.status)")
                        #expect(operation["responses"]?["401"] != nil, "\(method) \(path) does not document its 401")
                    }
                    checked += 1
                }
            }
            #expect(checked >= 20)
        }
    }

    @Test("openapi-spec-validator (Python) finds the document valid, and its schemas accept and refuse the right bodies")
    func independentValidator() async throws {
        try await withGateway { spool in
            let outcome = try await PythonScript.run("openapi_check.py", [spool.baseURL], timeoutSeconds: 120)
            #expect(outcome.status == 0, "\(outcome.output)")
        }
    }

    private func collectReferences(_ value: JSONValue, into references: inout [String]) {
        switch value {
        case .object(let object):
            for (key, member) in object {
                if key == "$ref", let target = member.stringValue { references.append(target) } else {
                    collectReferences(member, into: &references)
                }
            }
        case .array(let items):
            for item in items { collectReferences(item, into: &references) }
        default:
            break
        }
    }

    /// Follows a local reference (`#/components/schemas/Job`) as a JSON pointer (RFC 6901).
    private func resolve(_ reference: String, in document: JSONValue) -> JSONValue? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: JSONValue? = document
        for token in reference.dropFirst(2).split(separator: "/", omittingEmptySubsequences: false) {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            node = node?[key]
        }
        return node
    }
}
