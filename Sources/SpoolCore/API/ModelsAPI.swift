import SpoolHTTP
import SpoolJSON

/// `GET /v1/models` and `GET /v1/models/{id}`: the catalog as loaded at start.
struct ModelsAPI: Sendable {
    let catalog: ModelCatalog
    let authenticator: Authenticator

    func register(in router: inout Router) {
        let list = HTTPResponse.json(["object": "list", "data": .array(catalog.models.map(\.publicObject))])
        router.get("/v1/models", .async { [authenticator] request in
            _ = try await authenticator.authenticate(request)
            return list
        })
        router.get("/v1/models/{id}", .async { [authenticator, catalog] request in
            _ = try await authenticator.authenticate(request)
            let id = request.pathParameters["id"]!
            guard let model = catalog.model(id: id) else {
                throw HTTPError.notFound("There is no model \(id)\(catalog.didYouMean(id)); GET /v1/models lists them.")
            }
            return .json(model.publicObject)
        })
    }
}
