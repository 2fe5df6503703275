import Logging
import PostgresNIO

/// PostgreSQL's `LISTEN` on one dedicated connection, fanned out to any number of local subscribers.
///
/// A `NOTIFY` sent inside a transaction is delivered when (and only if) that transaction commits, so a replica that
/// notifies in the same transaction as a job's transition wakes every other replica's waiters exactly when the
/// change is visible. ``run()`` holds the connection: when it breaks, it reconnects (waiting 100 ms, doubling to
/// 5 s while the server stays away) and `LISTEN`s again until its task is cancelled. Notifications sent while no
/// `LISTEN` was in place are lost, which is why a broken connection is announced to subscribers as
/// ``Event/interrupted`` and every (re)established `LISTEN` as ``Event/listening``: the moment to catch up by
/// reading what changed (the history table, by sequence number).
///
/// A connection can also stop answering without closing (a server that failed over or a network that dropped
/// it: TCP notices only when something is sent, and a listener sends nothing). So every `heartbeatSeconds` the
/// listener runs `SELECT 1` on its connection; one not answered within `heartbeatSeconds` more closes the
/// connection and reconnects, as a break would.
package actor PostgresListener {
    /// What a subscriber receives.
    package enum Event: Sendable, Equatable {
        /// `LISTEN` is in place (again): anything sent before this may have been missed; read it.
        case listening
        /// The connection broke or stopped answering: notifications are missed until the next ``listening``.
        case interrupted
        /// A `NOTIFY` on the channel, with its payload.
        case notification(String)
    }

    /// The `application_name` of the listener's connection, which names it in `pg_stat_activity`.
    package static let applicationName = "spool listener"

    private let url: PostgresURL
    private let channels: Set<String>
    private let heartbeatSeconds: Double
    private let logger: Logger
    private var subscribers: [String: [Int: AsyncStream<Event>.Continuation]] = [:]
    private var listening: Set<String> = []
    private var nextSubscriberID = 0
    private var connectionCount = 0

    /// A listener for `channels` on `url`, checking its connection every `heartbeatSeconds`; nothing connects
    /// before ``run()``.
    package init(url: PostgresURL, channels: Set<String>, heartbeatSeconds: Double = 5, logger: Logger) {
        self.url = url
        self.channels = channels
        self.heartbeatSeconds = heartbeatSeconds
        self.logger = logger
    }

    /// The events of `channel` (one of those given at init), from now until the subscriber stops iterating or the
    /// listener stops. When `LISTEN` is already in place, the first event is ``Event/listening``. The stream
    /// buffers without bound: a subscriber must keep reading.
    package func events(on channel: String) -> AsyncStream<Event> {
        precondition(channels.contains(channel), "channel \(channel) was not given to the listener")
        let (stream, continuation) = AsyncStream.makeStream(of: Event.self)
        let id = nextSubscriberID
        nextSubscriberID += 1
        subscribers[channel, default: [:]][id] = continuation
        continuation.onTermination = { _ in Task { await self.unsubscribe(channel, id) } }
        if listening.contains(channel) { continuation.yield(.listening) }
        return stream
    }

    /// Listens until the calling task is cancelled, reconnecting whenever the connection breaks; then ends every
    /// subscriber's stream.
    package func run() async {
        var pause = Duration.milliseconds(100)
        while !Task.isCancelled {
            do {
                try await listenOnce { pause = .milliseconds(100) }
            } catch {
                if !Task.isCancelled {
                    logger.warning("postgres LISTEN connection lost; reconnecting",
                                   metadata: ["error": "\(PostgresDatabaseError(error))", "retry_in": "\(pause)"])
                }
            }
            for channel in listening { deliver(.interrupted, on: channel) }
            listening.removeAll()
            do { try await Task.sleep(for: pause) } catch { break }
            pause = min(pause * 2, .seconds(5))
        }
        for continuation in subscribers.values.flatMap(\.values) { continuation.finish() }
        subscribers.removeAll()
    }

    /// One connection's life: connect, `LISTEN` on every channel, deliver until it breaks or the task is cancelled.
    private func listenOnce(onListening: () -> Void) async throws {
        connectionCount += 1
        var configuration = try url.connectionConfiguration()
        configuration.options.additionalStartupParameters.append(("application_name", Self.applicationName))
        let connection = try await PostgresConnection.connect(
            configuration: configuration, id: connectionCount, logger: logger)
        onListening()
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for channel in channels {
                    group.addTask {
                        try await connection.listen(on: channel) { notifications in
                            await self.established(channel)
                            for try await notification in notifications {
                                await self.deliver(.notification(notification.payload), on: channel)
                            }
                        }
                        throw PostgresDatabaseError(kind: .connectionFailure, sqlState: nil, message: "LISTEN \(channel) ended")
                    }
                }
                group.addTask { [heartbeatSeconds, logger] in
                    try await Self.checkEvery(heartbeatSeconds, connection, logger: logger)
                }
                try await group.next()
            }
        } catch {
            try? await connection.close()
            throw error
        }
        try? await connection.close()
    }

    /// Runs `SELECT 1` on `connection` every `seconds` until cancelled; one not answered within `seconds` closes
    /// the connection (ending its `LISTEN`s, which would otherwise wait for good) and throws.
    private static func checkEvery(_ seconds: Double, _ connection: PostgresConnection, logger: Logger) async throws {
        while true {
            try await Task.sleep(for: .seconds(seconds))
            do {
                _ = try await PostgresDeadline.within(seconds: seconds) {
                    try await PostgresDatabase.rows("SELECT 1", on: connection, logger: logger)
                }
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                try? await connection.close()
                throw PostgresDatabaseError(kind: .connectionFailure, sqlState: nil,
                                            message: "the LISTEN connection failed its check: \(error)")
            }
        }
    }

    private func established(_ channel: String) {
        listening.insert(channel)
        deliver(.listening, on: channel)
    }

    private func deliver(_ event: Event, on channel: String) {
        for continuation in subscribers[channel, default: [:]].values { continuation.yield(event) }
    }

    private func unsubscribe(_ channel: String, _ id: Int) {
        subscribers[channel]?[id] = nil
    }
}
