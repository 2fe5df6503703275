import Testing
@testable import SpoolFal

@Suite("fal queue URLs")
struct FalRequestURLsTests {
    @Test("an endpoint's app is its first two segments, three under workflows/ and comfy/")
    func apps() {
        #expect(FalRequestURLs.app(ofEndpoint: "fal-ai/kling-video/o3/pro/reference-to-video") == "fal-ai/kling-video")
        #expect(FalRequestURLs.app(ofEndpoint: "fal-ai/flux") == "fal-ai/flux")
        #expect(FalRequestURLs.app(ofEndpoint: "workflows/acme/pipeline/run") == "workflows/acme/pipeline")
    }

    @Test("request URLs follow fal's layout from a base, app and request id")
    func requestURLs() {
        let urls = FalRequestURLs(baseURL: "https://queue.fal.run/", endpoint: "fal-ai/kling-video/o3/pro/reference-to-video",
                                  requestID: "764cabcf-b745-4b3e-ae38-1200304cf45b")
        let root = "https://queue.fal.run/fal-ai/kling-video/requests/764cabcf-b745-4b3e-ae38-1200304cf45b"
        #expect(urls.statusURL == root + "/status")
        #expect(urls.responseURL == root)
        #expect(urls.cancelURL == root + "/cancel")
        #expect(urls.streamURL == root + "/status/stream")
    }

    @Test("paths go before a query, and query values are percent-encoded")
    func pathsAndQueries() {
        #expect(FalRequestURLs.appendingPath("/stream", to: "http://h/a/status?x=1") == "http://h/a/status/stream?x=1")
        #expect(FalRequestURLs.appendingQuery("fal_webhook", "https://spool.example/hooks/fal?job=a b&x=é", to: "http://h/e")
            == "http://h/e?fal_webhook=https%3A%2F%2Fspool.example%2Fhooks%2Ffal%3Fjob%3Da%20b%26x%3D%C3%A9")
        #expect(FalRequestURLs.appendingQuery("logs", "1", to: "http://h/s?a=b") == "http://h/s?a=b&logs=1")
    }
}
