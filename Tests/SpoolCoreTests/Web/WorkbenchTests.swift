import Foundation
import SpoolFal
import Testing
@testable import SpoolCore

@Suite("The workbench page and its files")
struct WorkbenchTests {
    @Test("GET / serves the page with a strict Content-Security-Policy and nosniff; its script and style are served")
    func pageAndAssets() async throws {
        try await withGateway { spool in

            let page = try await spool.request(.get, "/")
            #expect(page.status == 200)
            #expect(page.headers["Content-Type"] == "text/html; charset=utf-8")
            #expect(page.headers["X-Content-Type-Options"] == "nosniff")
            let policy = try #require(page.headers["Content-Security-Policy"])
            for directive in ["default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'",
                              "frame-ancestors 'none'"] {
                #expect(policy.contains(directive), "missing \(directive)")
            }
            #expect(!policy.contains("unsafe"))
            #expect(page.text.contains(#"<script type="module" src="/workbench/app.mjs"></script>"#))
            #expect(page.text.contains(#"<link rel="stylesheet" href="/workbench/workbench.css">"#))
            // The policy forbids inline code and inline style, so the page must carry none.
            #expect(!page.text.contains("<script>") && !page.text.contains("<style") && !page.text.contains(" style="))
            #expect(page.text.range(of: #"\son[a-z]+="#, options: .regularExpression) == nil, "inline event handler")
            for id in ["api-key", "model-select", "input-fields", "submit-job", "job-status", "result-video", "job-log",
                       "curl-command", "recent-jobs", "compare-button", "compare-play", "compare-seek", "compare-params"] {
                #expect(page.text.contains(#"id="\#(id)""#), "the page has no #\(id)")
            }

            let modules = WorkbenchFiles.names.filter { $0.hasSuffix(".mjs") }
            #expect(modules.contains("app.mjs") && modules.count > 1)
            for module in modules {
                let script = try await spool.request(.get, "/workbench/" + module)
                #expect(script.status == 200, "\(module)")
                #expect(script.headers["Content-Type"] == "text/javascript; charset=utf-8")
                #expect(script.headers["X-Content-Type-Options"] == "nosniff")
                #expect(script.headers["Content-Security-Policy"] == policy)
                #expect(script.text == (try String(contentsOfFile: WorkbenchFiles.folder + "/" + module, encoding: .utf8)))
                #expect(!script.text.contains("EventSource("), "EventSource cannot send Authorization")
            }

            let style = try await spool.request(.get, "/workbench/workbench.css")
            #expect(style.status == 200)
            #expect(style.headers["Content-Type"] == "text/css; charset=utf-8")
            #expect(style.headers["X-Content-Type-Options"] == "nosniff")
            #expect(style.text.contains(":focus-visible"))
        }
    }

    @Test("each file has an ETag of its bytes; If-None-Match with it answers 304 without a body, another tag gets the file")
    func entityTags() async throws {
        try await withGateway { spool in
            var tags: Set<String> = []
            for path in ["/", "/workbench/app.mjs", "/workbench/workbench.css"] {
                let first = try await spool.request(.get, path)
                let tag = try #require(first.headers["ETag"], "\(path)")
                #expect(tag.hasPrefix("\"") && tag.hasSuffix("\"") && tag.count > 10)
                #expect(first.headers["Cache-Control"] == "no-cache")
                tags.insert(tag)

                let again = try await spool.request(.get, path, headers: [("If-None-Match", tag)])
                #expect(again.status == 304, "\(path)")
                #expect(again.body.isEmpty)
                #expect(again.headers["ETag"] == tag)
                let weakInList = try await spool.request(.get, path, headers: [("If-None-Match", "\"old\", W/\(tag)")])
                #expect(weakInList.status == 304)
                let stale = try await spool.request(.get, path, headers: [("If-None-Match", "\"old\"")])
                #expect(stale.status == 200 && stale.body == first.body)
            }
            #expect(tags.count == 3, "each file has its own tag")
            #expect(try await spool.request(.get, "/workbench/index.html").status == 404, "the page is served as / only")
            #expect(try await spool.request(.get, "/workbench/missing.mjs").status == 404)
        }
    }

    @Test("HEAD / answers like GET without a body, and the page needs no API key")
    func headAndNoKey() async throws {
        try await withGateway { spool in
            let head = try await spool.request(.head, "/")
            #expect(head.status == 200)
            #expect(head.body.isEmpty)
            #expect(head.headers["Content-Security-Policy"] != nil)
            let other = try await spool.request(.post, "/")
            #expect(other.status == 405)
            #expect(other.headers["Allow"]?.contains("GET") == true)
        }
    }
}
