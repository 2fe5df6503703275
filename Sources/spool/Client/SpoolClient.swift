import SpoolFal
import SpoolJSON

/// Spool's HTTP API as the terminal client uses it, over Spool's own libcurl client.
///
/// Every answer that is not 2xx becomes a ``ClientFailure`` carrying the server's error object.
struct SpoolClient: Sendable {
    let baseURL: String
    let key: String
    let http = HTTPClient(configuration: HTTPClientConfiguration(totalTimeout: .seconds(3600)))

    /// Sends a request to a path of the API and returns the parsed JSON answer.
    func send(
        _ method: HTTPClientRequest.Method, _ path: String, body: JSONValue? = nil, headers: [(String, String)] = []
    ) async throws -> JSONValue {
        var fields = headers + [("Authorization", "Bearer \(key)"), ("Accept", "application/json")]
        if body != nil { fields.append(("Content-Type", "application/json")) }
        let response = try await http.execute(
            HTTPClientRequest(method: method, url: baseURL + path, headers: fields, body: body?.serialized()))
        let answer = (try? JSONValue(parsing: response.body)) ?? .null
        guard (200..<300).contains(response.status) else {
            throw ClientFailure(status: response.status, answer: answer, raw: String(decoding: response.body, as: UTF8.self))
        }
        return answer
    }

    /// Opens a streamed GET of `url` (an API path, or an absolute URL such as a result's video) and fails unless it
    /// answers 2xx. API paths carry the key; other hosts never see it.
    func stream(_ url: String, headers: [(String, String)] = []) async throws -> HTTPClientStreamingResponse {
        let isAPI = url.hasPrefix("/")
        let fields = headers + (isAPI ? [("Authorization", "Bearer \(key)")] : [])
        let response = try await http.stream(HTTPClientRequest(url: isAPI ? baseURL + url : url, headers: fields))
        guard (200..<300).contains(response.status) else {
            var body: [UInt8] = []
            for try await chunk in response.body where body.count < 65_536 { body += chunk }
            throw ClientFailure(status: response.status, answer: (try? JSONValue(parsing: body)) ?? .null,
                                raw: String(decoding: body, as: UTF8.self))
        }
        return response
    }

    /// Reads job `id`'s event stream until the server ends it, handing each event to `body` in order.
    func forEachEvent(ofJob id: String, _ body: (ServerEvent) throws -> Void) async throws {
        let response = try await stream("/v1/jobs/\(id)/events", headers: [("Accept", "text/event-stream")])
        var reader = EventStreamReader()
        for try await chunk in response.body {
            for event in reader.feed(chunk) { try body(event) }
        }
    }

    func shutdown() { http.shutdown() }
}
