import SpoolHTTP
import SpoolJSON

/// What a submit asks of fal besides its input: where to send the webhook, whether fal may reroute it, how long
/// it may wait to start, whether fal keeps its payloads, how much video (so how many billable units) it wants and
/// in what shape.
struct SubmitTerms: Sendable {
    /// The full endpoint id submitted to.
    let endpoint: String
    /// The app part of the endpoint (its first two segments), which every later URL uses.
    let app: String
    /// The `fal_webhook` query parameter, when not empty.
    let webhookURL: String?
    /// False when `x-app-fal-disable-fallback: true` was sent.
    let allowsFallback: Bool
    /// `X-Fal-Request-Timeout` in seconds, when it is a positive number.
    let requestTimeout: Double?
    /// False when `X-Fal-Store-IO: 0` was sent.
    let storesPayloads: Bool
    /// Seconds of video asked for: `duration` (a string or a number), else the sum of the `multi_prompt` shots'
    /// durations, else 5, fal's default.
    let videoSeconds: Int
    /// `aspect_ratio`, `16:9` (fal's default) when absent.
    let aspectRatio: String

    static let defaultVideoSeconds = 5

    init(_ request: HTTPRequest, endpoint: String) {
        self.endpoint = endpoint
        app = endpoint.split(separator: "/").prefix(2).joined(separator: "/")
        webhookURL = request.queryValue("fal_webhook").flatMap { $0.isEmpty ? nil : $0 }
        allowsFallback = request.headers["x-app-fal-disable-fallback"]?.lowercased() != "true"
        requestTimeout = request.headers["X-Fal-Request-Timeout"].flatMap(Double.init).flatMap {
            $0.isFinite && $0 > 0 ? $0 : nil
        }
        storesPayloads = request.headers["X-Fal-Store-IO"] != "0"
        let input = (try? JSONValue(parsing: request.body)) ?? .null
        videoSeconds = SubmitTerms.videoSeconds(in: input)
        aspectRatio = input["aspect_ratio"]?.stringValue ?? "16:9"
    }

    private static func videoSeconds(in input: JSONValue) -> Int {
        if let duration = input["duration"].flatMap(seconds) { return duration }
        let shots = input["multi_prompt"]?.arrayValue?.compactMap { $0["duration"].flatMap(seconds) } ?? []
        return shots.isEmpty ? defaultVideoSeconds : shots.reduce(0, +)
    }

    private static func seconds(_ value: JSONValue) -> Int? {
        if let number = value.integerValue { return Int(number) }
        return value.stringValue.flatMap { Int($0) }
    }
}
