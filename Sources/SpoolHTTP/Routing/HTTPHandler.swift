/// What answers a request.
///
/// `.immediate` runs on the event-loop thread that read the request, so it must be quick and must not block
/// (no disk, no network, no waiting on locks held for long): health checks, static pages, in-memory lookups.
/// `.async` runs as a Swift concurrency task and may await anything; the response is written when it returns.
/// `.memoryFirst` tries an `.immediate` closure that answers from memory when it can (a cache hit), and runs the
/// `.async` one when that returns nil.
package enum HTTPHandler: Sendable {
    case immediate(@Sendable (HTTPRequest) throws -> HTTPResponse)
    case async(@Sendable (HTTPRequest) async throws -> HTTPResponse)
    case memoryFirst(
        @Sendable (HTTPRequest) throws -> HTTPResponse?, otherwise: @Sendable (HTTPRequest) async throws -> HTTPResponse)
}
