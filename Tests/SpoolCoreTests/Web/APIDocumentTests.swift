import Foundation
import SpoolJSON
import Testing
@testable import SpoolCore

/// `docs/API.md` is the contract a user reads; `/openapi.json` is the same for machines. Each route of the API has a
/// `### \`METHOD /path\`` heading in the page, so the two can be compared route by route.
@Suite("docs/API.md and the served /openapi.json describe the same routes")
struct APIDocumentTests {
    static let page = RepositoryPaths.root + "/docs/API.md"

    /// The section whose routes arrive with the storage work: until the served document has any of its paths, its
    /// headings are not looked for in it (the other direction is checked all along).
    static let sectionAhead = "Stored files"

    /// Every route heading of `text` (`### \`GET /v1/jobs/{id}\``) as `GET /v1/jobs/{id}`, with the title of the
    /// `## ` section it is in.
    static func routeHeadings(_ text: String) -> [(route: String, section: String)] {
        var section = ""
        var routes: [(String, String)] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("## ") { section = String(line.dropFirst(3)) }
            guard line.hasPrefix("### `"), line.hasSuffix("`") else { continue }
            routes.append((String(line.dropFirst(5).dropLast()), section))
        }
        return routes
    }

    @Test("every route with a heading in docs/API.md is served in /openapi.json, and every route there has a heading")
    func routesMatch() async throws {
        try await withGateway { spool in
            let document = try await spool.request(.get, "/openapi.json").json
            let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options"]
            var served: Set<String> = []
            for (path, item) in try #require(document["paths"]?.objectValue) {
                for (method, _) in item.objectValue ?? [:] where methods.contains(method) {
                    served.insert("\(method.uppercased()) \(path)")
                }
            }
            let headings = Self.routeHeadings(try String(contentsOfFile: Self.page, encoding: .utf8))
            let documented = Set(headings.map(\.route))
            #expect(documented.count == headings.count, "each route has one heading: \(headings.map(\.route))")
            let storageServed = served.contains { $0.contains("/files/") }
            let ahead = storageServed ? [] : Set(headings.filter { $0.section == Self.sectionAhead }.map(\.route))
            #expect(documented.subtracting(ahead).subtracting(served).sorted() == [], "documented but not served")
            #expect(served.subtracting(documented).sorted() == [], "served but without a heading in docs/API.md")
            #expect(served.isSuperset(of: ["POST /v1/jobs", "GET /v1/models/{id}", "GET /healthz"]), "\(served.sorted())")
        }
    }

    @Test("the README points at docs/API.md, and neither page points at the spec folder outside the repository")
    func pointersStayInTheRepository() throws {
        let readme = try String(contentsOfFile: RepositoryPaths.root + "/README.md", encoding: .utf8)
        let page = try String(contentsOfFile: Self.page, encoding: .utf8)
        #expect(readme.contains("(docs/API.md)"))
        #expect(!readme.contains("shared/"))
        #expect(!page.contains("shared/"))
    }
}
