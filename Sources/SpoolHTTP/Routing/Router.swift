/// Maps a method and a path to a handler. Patterns are literal segments and `{name}` captures:
/// `/v1/jobs/{id}/deliveries/{delivery_id}/retry`. Literal segments win over captures at the same depth.
///
/// Build it before starting the server; it is a value and is not changed while serving.
package struct Router: Sendable {
    /// The outcome of looking up a request.
    package enum Match: Sendable {
        case found(HTTPHandler, parameters: [String: String], pattern: String)
        /// The path exists but not for this method; `allowed` lists the methods it has (HEAD where GET is).
        case methodNotAllowed(allowed: [HTTPMethod])
        case notFound
    }

    private struct Route: Sendable {
        let segments: [Segment]
        let pattern: String
        var handlers: [HTTPMethod: HTTPHandler]
    }

    private enum Segment: Sendable, Equatable {
        case literal(String)
        case capture(String)
    }

    private var routes: [Route] = []

    package init() {}

    /// Adds `handler` for `method` on `pattern`. Adding the same method and pattern twice keeps the last.
    package mutating func add(_ method: HTTPMethod, _ pattern: String, _ handler: HTTPHandler) {
        let segments = Router.split(pattern).map { part -> Segment in
            if part.hasPrefix("{"), part.hasSuffix("}") { return .capture(String(part.dropFirst().dropLast())) }
            return .literal(String(part))
        }
        if let index = routes.firstIndex(where: { $0.segments == segments }) {
            routes[index].handlers[method] = handler
        } else {
            routes.append(Route(segments: segments, pattern: pattern, handlers: [method: handler]))
            // Routes with more literal segments first, so that `/v1/jobs/search` beats `/v1/jobs/{id}`.
            routes.sort { Router.specificity($0.segments) > Router.specificity($1.segments) }
        }
    }

    package mutating func get(_ pattern: String, _ handler: HTTPHandler) { add(.get, pattern, handler) }
    package mutating func post(_ pattern: String, _ handler: HTTPHandler) { add(.post, pattern, handler) }
    package mutating func put(_ pattern: String, _ handler: HTTPHandler) { add(.put, pattern, handler) }
    package mutating func delete(_ pattern: String, _ handler: HTTPHandler) { add(.delete, pattern, handler) }

    /// Every (method, pattern) pair this router answers, for documentation checks.
    package var routeTable: [(method: HTTPMethod, pattern: String)] {
        routes.flatMap { route in route.handlers.keys.map { ($0, route.pattern) } }
    }

    /// Finds the handler for `method` and `path` (the path without its query). A HEAD request uses the GET
    /// handler when there is no HEAD handler of its own.
    package func match(_ method: HTTPMethod, path: String) -> Match {
        let parts = Router.split(path)
        var allowed: Set<String> = []
        for route in routes where route.segments.count == parts.count {
            guard let parameters = Router.bind(route.segments, to: parts) else { continue }
            if let handler = route.handlers[method] ?? (method == .head ? route.handlers[.get] : nil) {
                return .found(handler, parameters: parameters, pattern: route.pattern)
            }
            for key in route.handlers.keys { allowed.insert(key.rawValue) }
            if route.handlers[.get] != nil { allowed.insert(HTTPMethod.head.rawValue) }
        }
        if allowed.isEmpty { return .notFound }
        return .methodNotAllowed(allowed: allowed.sorted().map(HTTPMethod.init))
    }

    private static func bind(_ segments: [Segment], to parts: [Substring]) -> [String: String]? {
        var parameters: [String: String] = [:]
        for (segment, part) in zip(segments, parts) {
            switch segment {
            case .literal(let literal):
                guard literal == part else { return nil }
            case .capture(let name):
                guard !part.isEmpty, let value = PercentDecoding.decode(part) else { return nil }
                parameters[name] = value
            }
        }
        return parameters
    }

    /// The path's segments, split on its UTF-8 bytes rather than its characters (request targets are ASCII, and
    /// every request is routed).
    private static func split(_ path: String) -> [Substring] {
        let trimmed = path.hasPrefix("/") ? path.dropFirst() : Substring(path)
        if trimmed.isEmpty { return [] }
        return trimmed.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map(Substring.init)
    }

    private static func specificity(_ segments: [Segment]) -> Int {
        segments.reduce(0) { count, segment in
            if case .literal = segment { return count + 1 }
            return count
        }
    }
}
