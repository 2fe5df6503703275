import Logging
import PostgresNIO

/// PostgreSQL's `LISTEN` on one dedicated connection, fanned out to any number of local subscribers.
///
/// A `NOTIFY` sent inside a transaction is delivered when (and only if) that transaction commits, so a replica that
/// notifies in the same transaction as a job's transition wakes every other replica's waiters exactly when the
/// change is visible. ``run()`` holds the connection: when it breaks, it reconnects (waiting 100 ms, doubling to
/// 5 s while the server stays away) and `LISTEN`s again until its task is cancelled. Notifications sent while no
/// `LISTEN` was in place are lost, which is why every (re)established `LISTEN` is announced to subscribers as
/// ``Event/listening``: the moment to catch up by reading what changed (the history table, by sequence number).
package actor PostgresListener {
    /// What a subscriber receives.
    package enum Event: Sendable, Equatable {
        /// `LISTEN` is in place (again): anything sent before this may have been missed; read it.
        case listening
        /// A `NOTIFY` on the channel, with its payload.
        case notification(String)
    }

    private let url: PostgresURL
    private let channels: Set<String>
    private let logger: Logger
    private var subscribers: [String: [Int: AsyncStream<Event>.Continuation]] = [:]
    private var listening: Set<String> = []
    private var nextSubscriberID = 0
    private var connectionCount = 0

    /// A listener for `channels` on `url`; nothing connects before ``run()``.
    package init(url: PostgresURL, channels: Set<String>, logger: Logger) {
        self.url = url
        self.channels = channels
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
        let connection = try await PostgresConnection.connect(
            configuration: url.connectionConfiguration(), id: connectionCount, logger: logger)
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
                try await group.next()
            }
        } catch {
            try? await connection.close()
            throw error
        }
        try? await connection.close()
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
