import Foundation
import SpoolJSON
import SpoolTestSupport
import Synchronization
import Testing
@testable import SpoolFal

@Suite("fal queue client against a local server")
struct FalQueueClientTests {
    static let key = "key-id:key-secret"
    static let endpoint = "fal-ai/kling-video/o3/pro/reference-to-video"
    static let fallbackEndpoint = "fal-ai/kling-video/o3/standard/reference-to-video"

    /// A server answering like fal's queue for request `r-1`, remembering every request it saw.
    final class FakeQueue: Sendable {
        let seen = RequestLog()
        let streamGate = TestGate()
        let server: TestHTTPServer

        init() throws {
            server = try TestHTTPServer { [seen, streamGate] request in
                seen.append(request)
                return FakeQueue.answer(request, streamGate: streamGate)
            }
        }

        /// fal's answer to `request`; returned URLs point back at the server the request reached (its `Host`).
        private static func answer(_ request: TestRequest, streamGate: TestGate) -> TestReply {
            let root = "http://\(request.header("host") ?? "")/fal-ai/kling-video/requests/r-1"
            let path = String(request.target.split(separator: "?").first ?? "")
            switch (request.method, path) {
            case ("POST", "/" + FalQueueClientTests.endpoint):
                return json(200, #"{"status":"IN_QUEUE","request_id":"r-1","queue_position":0,"#
                    + #""response_url":"\#(root)","status_url":"\#(root)/status","cancel_url":"\#(root)/cancel"}"#)
            case ("GET", "/fal-ai/kling-video/requests/r-1/status"):
                return json(202, #"{"status":"IN_PROGRESS","logs":[{"message":"rendering","level":"INFO"}]}"#,
                            [("X-Fal-Served-From", FalQueueClientTests.fallbackEndpoint)])
            case ("GET", "/fal-ai/kling-video/requests/r-1/status/stream"):
                let first = Array("data: {\"status\":\"IN_QUEUE\",\"queue_position\":1}\n\n: ping\n\n".utf8)
                let rest = ["data: {\"status\":\"IN_PROGRESS\",\"logs\":null}\r\n\r\n",
                            "data: {\"status\":\"COMPLETED\",\"logs\":null,\"metrics\":{\"inference_time\":3}}\n\n"]
                return .chunked(first: first, gate: streamGate, rest: rest.map { Array($0.utf8) })
            case ("GET", "/fal-ai/kling-video/requests/r-1"):
                return json(200, #"{"video":{"url":"https://v3b.fal.media/files/x/output.mp4"}}"#,
                            [("X-Fal-Billable-Units", "5.0"), ("X-Fal-Served-From", FalQueueClientTests.fallbackEndpoint)])
            case ("PUT", "/fal-ai/kling-video/requests/r-1/cancel"):
                return json(400, #"{"status":"ALREADY_COMPLETED"}"#)
            case ("GET", "/broken/status/stream"):
                return .closeDelimited(body: Array("data: {\"status\":\"IN_PROGRESS\"}\n\n".utf8))
            default:
                return json(404, #"{"detail":"Application not found"}"#)
            }
        }

        private static func json(_ status: Int, _ body: String, _ headers: [(String, String)] = []) -> TestReply {
            .respond(status: status, headers: [("Content-Type", "application/json")] + headers, body: Array(body.utf8))
        }
    }

    @Test("submit posts the input with the key, the options and the webhook, then follows the URLs fal gave and reads what its headers report")
    func lifecycle() async throws {
        let fal = try FakeQueue()
        defer { fal.server.stop() }
        let http = HTTPClient()
        defer { http.shutdown() }
        let client = FalQueueClient(baseURL: fal.server.baseURL, key: Self.key, httpClient: http)

        let input: JSONValue = ["prompt": "a cat surfing", "duration": "5"]
        let submission = try await client.submit(endpoint: Self.endpoint, input: input, options: FalSubmitOptions(
            webhookURL: "https://spool.example/hooks/fal?job=j 1", requestTimeoutSeconds: 600, noRetry: true,
            storeIO: false, outputExpirySeconds: 3600))
        #expect(submission.requestID == "r-1")
        #expect(submission.queuePosition == 0)

        let submitted = try #require(fal.seen.all.first)
        #expect(submitted.target == "/\(Self.endpoint)?fal_webhook=https%3A%2F%2Fspool.example%2Fhooks%2Ffal%3Fjob%3Dj%201")
        #expect(submitted.header("authorization") == "Key \(Self.key)")
        #expect(submitted.header("content-type") == "application/json")
        #expect(submitted.header("x-fal-request-timeout") == "600")
        #expect(submitted.header("x-fal-queue-priority") == nil)
        #expect(submitted.header("x-fal-no-retry") == "1")
        #expect(submitted.header("x-fal-store-io") == "0")
        #expect(submitted.header("x-app-fal-disable-fallback") == "true")
        let lifecycle = try JSONValue(parsing: Array((submitted.header("x-fal-object-lifecycle-preference") ?? "").utf8))
        #expect(lifecycle == ["expiration_duration_seconds": 3600])
        #expect(try JSONValue(parsing: submitted.body) == input)

        #expect(submission.report == FalReport())
        let status = try await client.status(of: submission)
        #expect(status.value == .inProgress(logs: [FalLog(message: "rendering", level: "INFO")]))
        #expect(status.report == FalReport(servedFrom: Self.fallbackEndpoint))
        #expect(fal.seen.all.last?.target.hasSuffix("/status?logs=1") == true)
        let result = try await client.result(responseURL: submission.responseURL)
        #expect(result.value["video"]?["url"] == "https://v3b.fal.media/files/x/output.mp4")
        #expect(result.report == FalReport(billableUnits: 5, servedFrom: Self.fallbackEndpoint))
        #expect(try await client.cancel(cancelURL: submission.cancelURL) == .alreadyCompleted)
        #expect(fal.seen.all.allSatisfy { $0.header("authorization") == "Key \(Self.key)" })
    }

    @Test("fallbacks allowed, no expiry, payloads kept and a deadline of 1 s or less send none of those headers")
    func optionalHeadersLeftOut() async throws {
        let fal = try FakeQueue()
        defer { fal.server.stop() }
        let http = HTTPClient()
        defer { http.shutdown() }
        let client = FalQueueClient(baseURL: fal.server.baseURL, key: Self.key, httpClient: http)

        for seconds in [0, 1] {
            _ = try await client.submit(endpoint: Self.endpoint, input: ["prompt": "a cat"], options: FalSubmitOptions(
                requestTimeoutSeconds: seconds, disableFallback: false))
        }
        _ = try await client.submit(endpoint: Self.endpoint, input: ["prompt": "a cat"], options: FalSubmitOptions(
            requestTimeoutSeconds: 2))
        let submits = fal.seen.all
        #expect(submits.count == 3)
        for submit in submits.prefix(2) {
            let names = Set(submit.headers.map { $0.0.lowercased() })
            #expect(names.isDisjoint(with: [
                "x-fal-request-timeout", "x-app-fal-disable-fallback", "x-fal-store-io",
                "x-fal-object-lifecycle-preference", "x-fal-queue-priority",
            ]))
        }
        #expect(submits.last?.header("x-fal-request-timeout") == "2")
        #expect(submits.last?.header("x-app-fal-disable-fallback") == "true")
    }

    @Test("the status stream yields each status as it arrives and ends after COMPLETED")
    func statusStream() async throws {
        let fal = try FakeQueue()
        defer { fal.server.stop() }
        let http = HTTPClient()
        defer { http.shutdown() }
        let client = FalQueueClient(baseURL: fal.server.baseURL, key: Self.key, httpClient: http)
        let urls = FalRequestURLs(baseURL: fal.server.baseURL, endpoint: Self.endpoint, requestID: "r-1")

        var statuses: [FalStatus] = []
        for try await status in client.statusStream(statusURL: urls.statusURL) {
            statuses.append(status)
            if statuses.count == 1 { fal.streamGate.open() }
        }
        #expect(statuses == [
            .inQueue(position: 1), .inProgress(logs: []),
            .completed(logs: [], metrics: ["inference_time": 3], error: nil, errorType: nil),
        ])
        let request = try #require(fal.seen.all.last)
        #expect(request.target == "/fal-ai/kling-video/requests/r-1/status/stream?logs=1")
        #expect(request.header("accept") == "text/event-stream")
    }

    @Test("a status stream that ends before COMPLETED fails as transient")
    func brokenStream() async throws {
        let fal = try FakeQueue()
        defer { fal.server.stop() }
        let http = HTTPClient()
        defer { http.shutdown() }
        let client = FalQueueClient(baseURL: fal.server.baseURL, key: Self.key, httpClient: http)

        var received: [FalStatus] = []
        await #expect {
            for try await status in client.statusStream(statusURL: fal.server.baseURL + "/broken/status") {
                received.append(status)
            }
        } throws: { error in (error as? FalError)?.isTransient == true }
        #expect(received == [.inProgress(logs: [])])
    }

    @Test("an unknown endpoint is not found, and the key appears in no error")
    func notFound() async throws {
        let fal = try FakeQueue()
        defer { fal.server.stop() }
        let http = HTTPClient()
        defer { http.shutdown() }
        let client = FalQueueClient(baseURL: fal.server.baseURL, key: Self.key, httpClient: http)

        await #expect {
            _ = try await client.submit(endpoint: "fal-ai/nope", input: [:])
        } throws: { error in
            error as? FalError == .notFound(message: "Application not found")
                && !String(describing: error).contains("key-secret")
        }
        #expect(!String(describing: client).contains("key-secret"))
        #expect(!String(reflecting: client).contains("key-secret"))
    }

    @Test("a queue that cannot be reached is unreachable, so a submit is safe to repeat")
    func unreachable() async throws {
        let port = try RefusingPort()
        defer { port.close() }
        let http = HTTPClient()
        defer { http.shutdown() }
        let client = FalQueueClient(baseURL: port.url, key: Self.key, httpClient: http)
        await #expect {
            _ = try await client.submit(endpoint: Self.endpoint, input: [:])
        } throws: { error in
            guard case .unreachable(let message) = error as? FalError else { return false }
            return !message.contains("key-secret")
        }
    }
}

/// The requests a fake server received, in order.
final class RequestLog: Sendable {
    private let requests = Mutex<[TestRequest]>([])

    func append(_ request: TestRequest) { requests.withLock { $0.append(request) } }
    var all: [TestRequest] { requests.withLock { $0 } }
}
