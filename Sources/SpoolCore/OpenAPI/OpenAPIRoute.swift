import SpoolHTTP
import SpoolJSON

/// `GET /openapi.json`: the document, rendered once when the routes are registered.
struct OpenAPIRoute: Sendable {
    let catalog: ModelCatalog

    func register(in router: inout Router) {
        let response = HTTPResponse(
            status: .ok,
            headers: ["Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-cache",
                      "Access-Control-Allow-Origin": "*"],
            body: .bytes(OpenAPIDocument.make(catalog: catalog).serialized()))
        router.get("/openapi.json", .immediate { _ in response })
    }
}
