/// What other threads ask of an event loop. Posted through its `LoopInbox`.
enum LoopMessage: Sendable {
    /// Take over a freshly accepted connection (handed over by the loop that owns the listener).
    case adopt(fd: Int32, remoteAddress: String)
    /// An `.async` handler has returned; write its response on the connection that asked.
    case handlerFinished(HandlerCompletion)
    /// A streamed body has new chunks (or has ended) for the connection.
    case streamReady(fd: Int32, connectionID: UInt64)
    /// Stop accepting, close idle connections, and force the rest closed after the grace period.
    case beginShutdown(gracePeriod: Double)
}

/// The response an `.async` handler produced, on its way back to the loop that owns the connection.
struct HandlerCompletion: Sendable {
    let fd: Int32
    let connectionID: UInt64
    let info: RequestInfo
    let response: HTTPResponse
}

/// What the server remembers about a request while it is answered: enough to frame the response and to log it.
struct RequestInfo: Sendable {
    var method: HTTPMethod
    var path: String
    var routePattern: String?
    var requestID: String
    var remoteAddress: String
    /// Monotonic nanoseconds when the request's first byte arrived.
    var startedAt: UInt64
    var isHTTP10: Bool
    /// Whether the client asked for the connection to stay open.
    var wantsKeepAlive: Bool

    var isHead: Bool { method == .head }
}
