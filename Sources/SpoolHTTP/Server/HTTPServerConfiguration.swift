/// Limits and timeouts of the HTTP server, each with its documented default.
///
/// Sizes are in bytes and durations in seconds.
package struct HTTPServerConfiguration: Sendable {
    /// Address to bind: an IPv4 or IPv6 literal, or `localhost`.
    package var host: String = "127.0.0.1"
    /// Port to bind; 0 asks the kernel for a free one (read it back from `HTTPServer.port`).
    package var port: Int = 8080
    /// Event-loop threads, each with its own epoll instance. Default: one per core.
    package var eventLoopCount: Int = HTTPServerConfiguration.coreCount
    /// `listen(2)` backlog.
    package var backlog: Int32 = 1024
    /// Longest request line accepted; a longer one is answered 414 and the connection closed.
    package var maxRequestLineLength: Int = 8 * 1024
    /// Largest header section accepted (all field lines together); beyond it 431 and close.
    package var maxHeaderBytes: Int = 16 * 1024
    /// Most header fields accepted; beyond it 431 and close.
    package var maxHeaderCount: Int = 100
    /// Largest request body accepted, however it is framed; beyond it 413 and close.
    package var maxBodyBytes: Int = 1024 * 1024
    /// A request whose header section is not complete this long after its first byte gets 408 and is closed.
    package var headerTimeout: Double = 10
    /// A keep-alive connection with no request in progress is closed after this long.
    package var idleTimeout: Double = 60
    /// A body that makes no progress for this long is abandoned with 408 and the connection closed.
    package var bodyReadTimeout: Double = 30
    /// On shutdown, how long requests in flight (and streams) get to finish before their connections are closed.
    package var shutdownGracePeriod: Double = 10
    /// Most bytes queued and unsent on one connection before a streaming writer waits.
    package var maxPendingWriteBytes: Int = 256 * 1024

    package init() {}

    /// The number of cores online.
    package static var coreCount: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
