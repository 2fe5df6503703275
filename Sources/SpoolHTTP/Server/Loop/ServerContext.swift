import Logging

/// What every event loop shares, read-only: configuration, routes, the logger and the request observer.
struct ServerContext: Sendable {
    let configuration: HTTPServerConfiguration
    let router: Router
    let logger: Logger
    let observer: (@Sendable (HTTPRequestRecord) -> Void)?

    /// How many unparsed bytes a connection buffers while it is not parsing (a handler is running, or output is
    /// backed up): enough for a whole request head, so a pipelined request is never cut off by this limit.
    var inputLimit: Int {
        max(64 * 1024, configuration.maxRequestLineLength + configuration.maxHeaderBytes + 4096)
    }
}
