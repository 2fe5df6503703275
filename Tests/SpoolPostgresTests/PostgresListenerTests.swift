import PostgresNIO
import SpoolPostgres
import SpoolPostgresTesting
import Testing

@Suite("PostgreSQL LISTEN/NOTIFY", .enabled(if: PostgresTestServer.isAvailable, "\(PostgresTestServer.unavailableReason ?? "")"),
       .timeLimit(.minutes(2)))
struct PostgresListenerTests {
    private struct Abandon: Error {}

    /// Runs `body` with a running listener on `channel` and a subscription to it, first event (`listening`) read.
    private func withListener(
        _ database: SpoolPostgres.PostgresDatabase, channel: String, heartbeatSeconds: Double = 5,
        _ body: (PostgresListener, inout AsyncStream<PostgresListener.Event>.Iterator) async throws -> Void
    ) async throws {
        let listener = PostgresListener(
            url: database.url, channels: [channel], heartbeatSeconds: heartbeatSeconds, logger: testLogger)
        let running = Task { await listener.run() }
        defer { running.cancel() }
        var events = await listener.events(on: channel).makeAsyncIterator()
        #expect(await events.next() == .listening)
        try await body(listener, &events)
        running.cancel()
        await running.value
    }

    private func notify(_ payload: String, in connection: PostgresConnection) async throws {
        try await connection.query("SELECT pg_notify('jobs', \(payload))", logger: testLogger)
    }

    @Test("a NOTIFY in a committed transaction reaches the listener; one in a rolled-back transaction never does")
    func onlyCommittedNotificationsArrive() async throws {
        try await withTestDatabase { database in
            try await withListener(database, channel: "jobs") { _, events in
                await #expect(throws: Abandon.self) {
                    try await database.transaction { connection in
                        try await notify("rolled back", in: connection)
                        throw Abandon()
                    }
                }
                try await database.transaction { connection in try await notify("committed", in: connection) }
                // Notifications arrive in commit order, so the rolled-back one would have come first.
                #expect(await events.next() == .notification("committed"))
            }
        }
    }

    @Test("every subscriber of a channel gets each notification")
    func fanOut() async throws {
        try await withTestDatabase { database in
            try await withListener(database, channel: "jobs") { listener, first in
                var second = await listener.events(on: "jobs").makeAsyncIterator()
                #expect(await second.next() == .listening)
                try await database.transaction { connection in try await notify("job_1", in: connection) }
                #expect(await first.next() == .notification("job_1"))
                #expect(await second.next() == .notification("job_1"))
            }
        }
    }

    @Test("when its connection is killed, the listener reconnects, says so, and receives again")
    func reconnects() async throws {
        try await withTestDatabase { database in
            try await withListener(database, channel: "jobs") { _, events in
                let killed = try await database.query(
                    """
                    SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                    WHERE datname = current_database() AND application_name = \(PostgresListener.applicationName)
                    """)
                #expect(killed.count == 1)
                #expect(await events.next() == .interrupted)
                #expect(await events.next() == .listening)
                try await database.transaction { connection in try await notify("after", in: connection) }
                #expect(await events.next() == .notification("after"))
            }
        }
    }

    /// The server process behind the listener's connection is stopped (`SIGSTOP`): the connection stays open and
    /// answers nothing, as one to a server that failed over or behind a dropped network path does.
    @Test("a connection that stops answering without closing is given up and replaced, and the break is announced",
          .enabled(if: geteuid() == 0, "stopping the server's process takes root"))
    func silentConnection() async throws {
        try await withTestDatabase { database in
            try await withListener(database, channel: "jobs", heartbeatSeconds: 0.5) { _, events in
                let pids = try await database.query(
                    """
                    SELECT pid FROM pg_stat_activity
                    WHERE datname = current_database() AND application_name = \(PostgresListener.applicationName)
                    """).map { try $0.decode(Int32.self) }
                #expect(pids.count == 1)
                try PostgresTestServer.stall(pids, seconds: 10)
                #expect(await events.next() == .interrupted)
                #expect(await events.next() == .listening)
                try await database.transaction { connection in try await notify("after", in: connection) }
                #expect(await events.next() == .notification("after"))
            }
        }
    }
}
