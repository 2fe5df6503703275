import Foundation
import SpoolHTTP
import SpoolJSON
import Synchronization

/// One HTTP request the emulator received, as `GET /_sim/requests` and `FalSimulator.requestLog()` show it.
package struct SimRecordedRequest: Sendable {
    package let method: String
    /// The path without the query, percent-encoding as sent.
    package let path: String
    /// The query without the `?`, or nil when there was none.
    package let query: String?
    /// Every header as sent, except that `Authorization` values read `Key ***`.
    package let headers: HTTPHeaders
    /// The body as UTF-8 text (invalid sequences replaced).
    package let body: String
    /// When it arrived.
    package let at: Date

    /// The JSON form: `{"method", "path", "query", "headers": {name: value}, "body", "at"}`; repeated headers
    /// are joined with `, `.
    var json: JSONValue {
        var headerObject = JSONObject()
        for (name, value) in headers {
            if case .string(let earlier)? = headerObject[name] {
                headerObject[name] = .string(earlier + ", " + value)
            } else {
                headerObject[name] = .string(value)
            }
        }
        return [
            "method": .string(method), "path": .string(path), "query": query.map(JSONValue.string) ?? .null,
            "headers": .object(headerObject), "body": .string(body),
            "at": .string(SimClock.rfc3339(unixTime: at.timeIntervalSince1970)),
        ]
    }
}

/// The log of received requests, oldest first, bounded to the newest `capacity` so that a long-running
/// emulator does not grow without limit. Thread-safe.
final class RequestRecorder: Sendable {
    static let capacity = 10_000
    private let entries = Mutex<[SimRecordedRequest]>([])

    func record(_ request: HTTPRequest) {
        var headers = HTTPHeaders()
        for (name, value) in request.headers {
            headers.add(name, name.lowercased() == "authorization" ? RequestRecorder.redact(value) : value)
        }
        let entry = SimRecordedRequest(
            method: request.method.rawValue, path: request.path, query: request.query, headers: headers,
            body: String(decoding: request.body, as: UTF8.self), at: Date())
        entries.withLock { entries in
            if entries.count >= RequestRecorder.capacity { entries.removeFirst(entries.count - RequestRecorder.capacity + 1) }
            entries.append(entry)
        }
    }

    func all() -> [SimRecordedRequest] { entries.withLock { $0 } }

    func clear() { entries.withLock { $0.removeAll() } }

    /// `Key ***` for a fal key, `***` for anything else.
    static func redact(_ value: String) -> String {
        value.hasPrefix("Key ") ? "Key ***" : "***"
    }
}
