import CSQLite
import SpoolStore
import SpoolTestSupport
import Testing

@Suite("SQLiteDatabase")
struct SQLiteDatabaseTests {
    struct Refused: Error {}

    private func openDatabase(in directory: String, busyTimeoutMilliseconds: Int = 5000) async throws -> SQLiteDatabase {
        let database = try SQLiteDatabase(path: directory + "/nested/dir/spool.sqlite", readers: 2,
                                          busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        try await database.write { connection in
            try connection.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, payload TEXT NOT NULL UNIQUE)")
        }
        return database
    }

    private func payloads(_ database: SQLiteDatabase) async throws -> [String] {
        try await database.read { connection in
            try connection.query("SELECT payload FROM items ORDER BY payload").map { try $0.string("payload") }
        }
    }

    @Test("creates the parent directory; a read sees what a write committed; readers cannot write")
    func readAfterWrite() async throws {
        try await withTemporaryDirectory { directory in
            let database = try await openDatabase(in: directory)
            let id = try await database.write { connection in
                try connection.run("INSERT INTO items (payload) VALUES (?)", "first")
                return connection.lastInsertRowID
            }
            #expect(id == 1)
            #expect(try await payloads(database) == ["first"])
            let error = await #expect(throws: SQLiteError.self) {
                try await database.read { try $0.run("INSERT INTO items (payload) VALUES ('no')") }
            }
            #expect(error?.isReadOnly == true)
            #expect(try database.readSync { try $0.queryScalar("SELECT count(*) FROM items", as: Int.self) } == 1)
        }
    }

    @Test("a write that throws is rolled back; writeSync commits")
    func writeRollback() async throws {
        try await withTemporaryDirectory { directory in
            let database = try await openDatabase(in: directory)
            await #expect(throws: Refused.self) {
                try await database.write { connection in
                    try connection.run("INSERT INTO items (payload) VALUES ('gone')")
                    throw Refused()
                }
            }
            try database.writeSync { try $0.run("INSERT INTO items (payload) VALUES ('kept')") }
            #expect(try await payloads(database) == ["kept"])
        }
    }

    @Test("500 concurrent batched inserts all land, in far fewer commits than 500")
    func groupCommit() async throws {
        try await withTemporaryDirectory { directory in
            let database = try await openDatabase(in: directory)
            let commitsBefore = database.commitCount
            let ids = try await withThrowingTaskGroup(of: Int64.self) { group in
                for index in 0..<500 {
                    group.addTask {
                        try await database.batchedWrite { connection in
                            try connection.run("INSERT INTO items (payload) VALUES (?)", .text("row \(index)"))
                            return connection.lastInsertRowID
                        }
                    }
                }
                return try await group.reduce(into: Set<Int64>()) { $0.insert($1) }
            }
            let commits = database.commitCount - commitsBefore
            #expect(ids.count == 500)
            #expect(try await payloads(database).count == 500)
            #expect(commits < 100, "500 inserts took \(commits) commits")
        }
    }

    @Test("in one batch, a failing body loses only its own changes and gets its own error")
    func failingBodyInBatch() async throws {
        try await withTemporaryDirectory { directory in
            let database = try await openDatabase(in: directory)
            try await database.write { try $0.run("INSERT INTO items (payload) VALUES ('taken')") }
            let gate = WriterGate()
            let gateTask = try await gate.close(database)
            let commitsBefore = database.commitCount
            let writes = (0..<20).map { index in
                Task {
                    try await database.batchedWrite { connection in
                        try connection.run("INSERT INTO items (payload) VALUES (?)", .text("mine \(index)"))
                        if index % 5 == 0 {
                            try connection.run("INSERT INTO items (payload) VALUES ('taken')")
                        }
                    }
                }
            }
            try await eventually("20 writes wait for the writer") { database.pendingBatchedWrites == 20 }
            gate.open()
            try await gateTask.value
            for (index, write) in writes.enumerated() {
                let result = await write.result
                if index % 5 == 0 {
                    #expect(throws: SQLiteError.self) { try result.get() }
                } else {
                    #expect(throws: Never.self) { try result.get() }
                }
            }
            #expect(database.commitCount - commitsBefore == 2, "the gate's write and one batch")
            let expected = ["taken"] + (0..<20).filter { $0 % 5 != 0 }.map { "mine \($0)" }
            #expect(try await payloads(database) == expected.sorted())
        }
    }

    @Test("when the shared COMMIT fails, every caller of the batch gets the error and nothing is written")
    func failingCommit() async throws {
        try await withTemporaryDirectory { directory in
            let database = try await openDatabase(in: directory)
            try await database.write { connection in
                try connection.execute("""
                    CREATE TABLE parent (id INTEGER PRIMARY KEY);
                    CREATE TABLE child (parent_id INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);
                    """)
            }
            let gate = WriterGate()
            let gateTask = try await gate.close(database)
            let good = Task { try await database.batchedWrite { try $0.run("INSERT INTO items (payload) VALUES ('a')") } }
            try await eventually("the good write waits for the writer") { database.pendingBatchedWrites == 1 }
            let dangling = Task { try await database.batchedWrite { try $0.run("INSERT INTO child VALUES (99)") } }
            try await eventually("the dangling write waits too") { database.pendingBatchedWrites == 2 }
            gate.open()
            try await gateTask.value
            let goodError = await #expect(throws: SQLiteError.self) { try await good.value }
            #expect(goodError?.extendedCode == SQLiteError.constraintForeignKey)
            await #expect(throws: SQLiteError.self) { try await dangling.value }
            #expect(try await payloads(database).isEmpty)
        }
    }

    @Test("a body that makes SQLite roll back the whole batch fails the bodies before it; later ones still commit")
    func rollbackInsideBatch() async throws {
        try await withTemporaryDirectory { directory in
            let database = try await openDatabase(in: directory)
            try await database.write { connection in
                try connection.execute("""
                    CREATE TRIGGER refuse BEFORE INSERT ON items WHEN NEW.payload = 'poison'
                    BEGIN SELECT RAISE(ROLLBACK, 'poison refused'); END;
                    """)
            }
            let gate = WriterGate()
            let gateTask = try await gate.close(database)
            var writes: [Task<Int, any Error>] = []
            for (position, payload) in ["before", "poison", "after"].enumerated() {
                let write = Task<Int, any Error> {
                    try await database.batchedWrite { try $0.run("INSERT INTO items (payload) VALUES (?)", .text(payload)) }
                }
                writes.append(write)
                try await eventually("write \(position) waits for the writer") {
                    database.pendingBatchedWrites == position + 1
                }
            }
            gate.open()
            try await gateTask.value
            let before = await #expect(throws: SQLiteError.self) { try await writes[0].value }
            #expect(before?.code == SQLITE_ABORT)
            let poison = await #expect(throws: SQLiteError.self) { try await writes[1].value }
            #expect(poison?.message.contains("poison refused") == true)
            #expect(try await writes[2].value == 1)
            #expect(try await payloads(database) == ["after"])
        }
    }

    @Test("backup writes a consistent copy that opens and holds the rows")
    func backup() async throws {
        try await withTemporaryDirectory { directory in
            let database = try await openDatabase(in: directory)
            try await database.write { connection in
                for index in 0..<100 { try connection.run("INSERT INTO items (payload) VALUES (?)", .text("r\(index)")) }
            }
            let backupPath = directory + "/backup.sqlite"
            try await database.backup(to: backupPath)
            let copy = try SQLiteConnection(path: backupPath, readOnly: true)
            #expect(try copy.queryScalar("SELECT count(*) FROM items", as: Int.self) == 100)
            #expect(try copy.queryScalar("PRAGMA integrity_check", as: String.self) == "ok")
        }
    }

    @Test("checkWritable passes on a healthy database and reports SQLITE_BUSY while another process holds the lock")
    func checkWritable() async throws {
        try await withTemporaryDirectory { directory in
            let database = try await openDatabase(in: directory, busyTimeoutMilliseconds: 50)
            try await database.checkWritable()
            let other = try SQLiteConnection(path: database.path)
            try other.run("BEGIN IMMEDIATE")
            let error = await #expect(throws: SQLiteError.self) { try await database.checkWritable() }
            #expect(error?.isBusy == true)
            try other.run("ROLLBACK")
            try await database.checkWritable()
            let tables = try await database.read { try $0.queryScalar("SELECT count(*) FROM sqlite_master", as: Int.self) }
            #expect(tables == 2, "the items table and its unique index; the probe created nothing")
        }
    }
}
