import SpoolJSON

/// A response as the raw client read it off the wire.
package struct RawResponse: Sendable {
    package var status: Int
    package var headers: [(name: String, value: String)]
    package var body: [UInt8]

    /// The first value of header `name` (any case).
    package func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    package var text: String { String(decoding: body, as: UTF8.self) }

    /// The body parsed as JSON (`.null` when it is not JSON, so that expectations on it fail readably).
    package var json: JSONValue { (try? JSONValue(parsing: body)) ?? .null }
}
