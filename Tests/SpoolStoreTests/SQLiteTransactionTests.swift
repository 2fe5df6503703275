import SpoolStore
import Testing

@Suite("SQLiteConnection transactions")
struct SQLiteTransactionTests {
    struct Refused: Error {}

    private func makeTable(_ connection: SQLiteConnection) throws {
        try connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)")
    }

    private func count(_ connection: SQLiteConnection) throws -> Int {
        try connection.queryScalar("SELECT count(*) FROM t", as: Int.self) ?? -1
    }

    @Test("a transaction commits when its body returns, and returns the body's value")
    func commits() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/t.sqlite"
            let connection = try SQLiteConnection(path: path)
            try makeTable(connection)
            let id = try connection.transaction(.immediate) { connection in
                try connection.run("INSERT INTO t (name) VALUES ('a')")
                return connection.lastInsertRowID
            }
            #expect(id == 1)
            #expect(!connection.isInTransaction)
            let other = try SQLiteConnection(path: path, readOnly: true)
            #expect(try count(other) == 1)
        }
    }

    @Test("a transaction rolls back everything when its body throws, and rethrows the error")
    func rollsBack() async throws {
        try await withTemporaryConnection { connection in
            try makeTable(connection)
            #expect(throws: Refused.self) {
                try connection.transaction(.immediate) { connection in
                    try connection.run("INSERT INTO t (name) VALUES ('a')")
                    try connection.run("INSERT INTO t (name) VALUES ('b')")
                    throw Refused()
                }
            }
            #expect(try count(connection) == 0)
            #expect(!connection.isInTransaction)
        }
    }

    @Test("a failing COMMIT (a deferred foreign key) rolls back and throws SQLite's error")
    func commitFailure() async throws {
        try await withTemporaryConnection { connection in
            try connection.execute("""
                CREATE TABLE parent (id INTEGER PRIMARY KEY);
                CREATE TABLE child (parent_id INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);
                """)
            let error = try #require(throws: SQLiteError.self) {
                try connection.transaction { connection in
                    try connection.run("INSERT INTO child VALUES (7)")
                }
            }
            #expect(error.isConstraintViolation)
            #expect(!connection.isInTransaction)
            #expect(try connection.queryScalar("SELECT count(*) FROM child", as: Int.self) == 0)
        }
    }

    @Test("savepoints nest: a failing inner savepoint undoes only its own changes")
    func savepoints() async throws {
        try await withTemporaryConnection { connection in
            try makeTable(connection)
            try connection.transaction { connection in
                try connection.run("INSERT INTO t (name) VALUES ('outer')")
                try connection.savepoint("level1") { connection in
                    try connection.run("INSERT INTO t (name) VALUES ('kept')")
                    #expect(throws: Refused.self) {
                        try connection.savepoint("level2") { connection in
                            try connection.run("INSERT INTO t (name) VALUES ('undone')")
                            throw Refused()
                        }
                    }
                }
            }
            let names = try connection.query("SELECT name FROM t ORDER BY id").map { try $0.string("name") }
            #expect(names == ["outer", "kept"])
        }
    }

    @Test("a savepoint outside a transaction commits on release and rolls back on error")
    func savepointAlone() async throws {
        try await withTemporaryConnection { connection in
            try makeTable(connection)
            try connection.savepoint { try $0.run("INSERT INTO t (name) VALUES ('a')") }
            #expect(throws: Refused.self) {
                try connection.savepoint("odd \"name\"") { connection in
                    try connection.run("INSERT INTO t (name) VALUES ('b')")
                    throw Refused()
                }
            }
            #expect(try count(connection) == 1)
            #expect(!connection.isInTransaction)
        }
    }
}
