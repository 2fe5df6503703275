import SpoolJSON
import SpoolTestSupport

/// Requests to the emulator as fal's clients send them.
enum FalHTTP {
    /// A JSON request with `Authorization: Key <key>` (when given), on a connection of its own.
    static func json(
        _ method: String, _ url: String, key: String? = "test-key", body: JSONValue? = nil,
        extraHeaders: [(String, String)] = []
    ) async throws -> RawResponse {
        var headers = extraHeaders
        if let key { headers.append(("Authorization", "Key \(key)")) }
        if body != nil { headers.append(("Content-Type", "application/json")) }
        return try await RawClient.request(method, url, headers: headers, body: body?.serialized())
    }
}
