import Logging

/// What every event loop shares, read-only: configuration, routes, the logger, the access log and the request
/// observer.
struct ServerContext: Sendable {
    let configuration: HTTPServerConfiguration
    let router: Router
    let logger: Logger
    let observer: (@Sendable (HTTPRequestRecord) -> Void)?
    /// Where access lines go when they are written as bytes; nil sends them through `logger`.
    let accessLog: AccessLog?

    /// How many unparsed bytes a connection buffers while it is not parsing (a handler is running, or output is
    /// backed up): enough for a whole request head, so a pipelined request is never cut off by this limit.
    var inputLimit: Int {
        max(64 * 1024, configuration.maxRequestLineLength + configuration.maxHeaderBytes + 4096)
    }
}
