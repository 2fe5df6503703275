import SpoolHTTP
import SpoolJSON
import Synchronization

/// `GET /openapi.json`: the document, rendered at its first request and kept.
///
/// Not at start: building the document's tree for every model's schema allocates about 2 MB in some 30,000 small
/// blocks, and what malloc kept of them stayed resident in a server nobody had asked for the document yet.
struct OpenAPIRoute: Sendable {
    let catalog: ModelCatalog
    private let rendered = Rendered()

    init(catalog: ModelCatalog) {
        self.catalog = catalog
    }

    func register(in router: inout Router) {
        let catalog = self.catalog
        let rendered = self.rendered
        router.get("/openapi.json", .memoryFirst({ _ in rendered.bytes.map(Self.response) }, otherwise: { _ in
            Self.response(rendered.keep(OpenAPIDocument.make(catalog: catalog).serialized()))
        }))
    }

    private static func response(_ body: [UInt8]) -> HTTPResponse {
        HTTPResponse(
            status: .ok,
            headers: ["Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-cache",
                      "Access-Control-Allow-Origin": "*"],
            body: .bytes(body))
    }

    /// The rendered document once a request made it; two first requests at once may both render it, and the first
    /// kept is the one served from then on.
    private final class Rendered: Sendable {
        private let stored = Mutex<[UInt8]?>(nil)

        var bytes: [UInt8]? { stored.withLock { $0 } }

        func keep(_ body: [UInt8]) -> [UInt8] {
            stored.withLock { stored in
                if let kept = stored { return kept }
                stored = body
                return body
            }
        }
    }
}
