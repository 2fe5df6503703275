import Foundation
import SpoolFal
import Testing
@testable import SpoolCore

@Suite("The workbench page and its files")
struct WorkbenchTests {
    @Test("GET / serves the page with a strict Content-Security-Policy and nosniff; its script and style are served")
    func pageAndAssets() async throws {
        let spool = try await TestGateway.start()
        defer { Task { await spool.stop() } }

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
        #expect(page.text.contains(#"<script src="/workbench.js" defer></script>"#))
        #expect(page.text.contains(#"<link rel="stylesheet" href="/workbench.css">"#))
        // The policy forbids inline code and inline style, so the page must carry none.
        #expect(!page.text.contains("<script>") && !page.text.contains("<style") && !page.text.contains(" style="))
        #expect(page.text.range(of: #"\son[a-z]+="#, options: .regularExpression) == nil, "inline event handler")
        for id in ["api-key", "model-select", "input-fields", "submit-job", "job-status", "result-video", "job-log",
                   "curl-command", "recent-jobs", "compare-button", "compare-play", "compare-seek", "compare-params"] {
            #expect(page.text.contains(#"id="\#(id)""#), "the page has no #\(id)")
        }

        let script = try await spool.request(.get, "/workbench.js")
        #expect(script.status == 200)
        #expect(script.headers["Content-Type"] == "text/javascript; charset=utf-8")
        #expect(script.headers["X-Content-Type-Options"] == "nosniff")
        #expect(script.text.hasPrefix("(() => {\n'use strict';"))
        #expect(script.text.contains("class EventStreamParser"))
        #expect(!script.text.contains("EventSource("), "EventSource cannot send Authorization")

        let style = try await spool.request(.get, "/workbench.css")
        #expect(style.status == 200)
        #expect(style.headers["Content-Type"] == "text/css; charset=utf-8")
        #expect(style.headers["X-Content-Type-Options"] == "nosniff")
        #expect(style.text.contains(":focus-visible"))
    }

    @Test("HEAD / answers like GET without a body, and the page needs no API key")
    func headAndNoKey() async throws {
        let spool = try await TestGateway.start()
        defer { Task { await spool.stop() } }
        let head = try await spool.request(.head, "/")
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(head.headers["Content-Security-Policy"] != nil)
        let other = try await spool.request(.post, "/")
        #expect(other.status == 405)
        #expect(other.headers["Allow"]?.contains("GET") == true)
    }
}
