import Foundation
import SpoolStore
import Testing

@Suite("Migrator")
struct MigratorTests {
    private func write(_ files: [String: String], to directory: String) throws {
        for (name, sql) in files {
            try Data(sql.utf8).write(to: URL(fileURLWithPath: directory + "/" + name))
        }
    }

    /// A migrations directory and a database file beside it, both in a fresh temp directory.
    private func withMigrations<T>(_ files: [String: String],
                                   _ body: (String, SQLiteConnection) async throws -> T) async throws -> T {
        try await withTemporaryDirectory { root in
            let directory = root + "/migrations"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
            try write(files, to: directory)
            return try await body(directory, SQLiteConnection(path: root + "/db.sqlite"))
        }
    }

    private func tables(_ connection: SQLiteConnection) throws -> [String] {
        try connection.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .map { try $0.string("name") }
    }

    @Test("applies migrations once, in version order, recording name, SHA-256 and time; re-running is a no-op")
    func appliesOnce() async throws {
        let files = [
            "0010_c.sql": "CREATE TABLE c (x INTEGER REFERENCES b (x));",
            "0001_a.sql": "CREATE TABLE a (x INTEGER);",
            "0002_b.sql": "CREATE TABLE b (x INTEGER PRIMARY KEY); INSERT INTO b SELECT x FROM a;",
            "README.md": "not a migration",
        ]
        try await withMigrations(files) { directory, connection in
            let migrator = Migrator(directory: directory)
            let applied = try migrator.migrate(connection)
            #expect(applied.map(\.version) == [1, 2, 10])
            #expect(applied.map(\.fileName) == ["0001_a.sql", "0002_b.sql", "0010_c.sql"])
            #expect(applied[0].checksum == "038a26bc41bee121077edb6515a0d0d125d48b83120e525a0a93fa4112edd1f2")
            #expect(applied[0].appliedAt.hasSuffix("Z"))
            #expect(try tables(connection) == ["a", "b", "c", "schema_migrations"])
            let recorded = try connection.query("SELECT version, name, checksum FROM schema_migrations ORDER BY version")
            #expect(try recorded.map { try $0.string("name") } == ["a", "b", "c"])
            #expect(try recorded[0].string("checksum") == applied[0].checksum)

            #expect(try migrator.migrate(connection).isEmpty)
            let statuses = try migrator.status(connection)
            #expect(statuses.allSatisfy { if case .applied = $0.state { true } else { false } })
        }
    }

    @Test("a migration changed after it was applied is refused, naming the file and both checksums")
    func tampered() async throws {
        try await withMigrations(["0001_init.sql": "CREATE TABLE a (x INTEGER);"]) { directory, connection in
            try Migrator(directory: directory).migrate(connection)
            try write(["0001_init.sql": "CREATE TABLE a (x INTEGER, y TEXT);", "0002_more.sql": "CREATE TABLE m (x);"],
                      to: directory)
            let error = try #require(throws: MigrationError.self) { try Migrator(directory: directory).migrate(connection) }
            let message = error.description
            #expect(message.contains("migration 0001_init.sql was changed after it was applied"))
            #expect(message.contains("recorded sha256 038a26bc41bee121077edb6515a0d0d125d48b83120e525a0a93fa4112edd1f2"))
            #expect(message.contains("restore the file or write a new migration"))
            #expect(try !tables(connection).contains("m"), "nothing after the refusal is applied")
            let status = try Migrator(directory: directory).status(connection)
            #expect(status.map(\.state.isProblem) == [true, false])
        }
    }

    @Test("a failing migration leaves no partial schema and no record, and names the file and SQLite's message")
    func failing() async throws {
        let files = [
            "0001_ok.sql": "CREATE TABLE a (x INTEGER);",
            "0002_broken.sql": "CREATE TABLE half (x INTEGER); INSERT INTO missing_table VALUES (1);",
        ]
        try await withMigrations(files) { directory, connection in
            let error = try #require(throws: MigrationError.self) { try Migrator(directory: directory).migrate(connection) }
            #expect(error.description.contains("0002_broken.sql"))
            #expect(error.description.contains("no such table: missing_table"))
            #expect(try tables(connection) == ["a", "schema_migrations"])
            #expect(try connection.queryScalar("SELECT group_concat(version) FROM schema_migrations", as: String.self) == "1")
            #expect(!connection.isInTransaction)
        }
    }

    @Test("badly named files, duplicate versions and recorded migrations without a file are errors")
    func invalidSets() async throws {
        try await withMigrations(["0001_a.sql": "SELECT 1;", "2_b.sql": "SELECT 1;"]) { directory, connection in
            let error = try #require(throws: MigrationError.self) { try Migrator(directory: directory).migrate(connection) }
            #expect(error.description.contains("2_b.sql is not named NNNN_name.sql"))
        }
        try await withMigrations(["0001_a.sql": "SELECT 1;", "0001_b.sql": "SELECT 2;"]) { directory, connection in
            let error = try #require(throws: MigrationError.self) { try Migrator(directory: directory).migrate(connection) }
            #expect(error.description.contains("0001_a.sql, 0001_b.sql"))
        }
        try await withMigrations(["0001_a.sql": "CREATE TABLE a (x);", "0002_b.sql": "CREATE TABLE b (x);"]) { directory, connection in
            try Migrator(directory: directory).migrate(connection)
            try FileManager.default.removeItem(atPath: directory + "/0002_b.sql")
            let error = try #require(throws: MigrationError.self) { try Migrator(directory: directory).migrate(connection) }
            #expect(error.description.contains("migration 2 ('b') applied, but there is no such migration file"))
            let status = try Migrator(directory: directory).status(connection)
            #expect(status.last?.state == .missingFile)
        }
    }

    @Test("migrations given in code apply through SQLiteDatabase in version order; status lists applied and pending")
    func inCodeThroughDatabase() async throws {
        try await withTemporaryDirectory { root in
            let database = try SQLiteDatabase(path: root + "/db.sqlite", readers: 1)
            let initial = (version: 1, name: "init", sql: "CREATE TABLE a (x INTEGER PRIMARY KEY);")
            let first = Migrator(migrations: [
                (version: 12, name: "index_a", sql: "CREATE INDEX a_by_x ON a_copy (x);"),
                (version: 3, name: "copy_a", sql: "CREATE TABLE a_copy AS SELECT * FROM a;"),
                initial,
            ])
            let applied = try await first.migrate(database)
            #expect(applied.map(\.fileName) == ["0001_init.sql", "0003_copy_a.sql", "0012_index_a.sql"])
            let second = Migrator(migrations: [initial, (version: 2, name: "add_b", sql: "CREATE TABLE b (x);")])
            let status = try await second.status(database)
            #expect(status.map(\.name) == ["0001_init.sql", "0002_add_b.sql", "copy_a", "index_a"])
            #expect(status[1].state == .pending)
            #expect(status[2].state == .missingFile)
            let third = try Migrator(migrations: first.loadMigrations() + second.loadMigrations().suffix(1))
            #expect(try await third.migrate(database).map(\.version) == [2])
            #expect(try await third.migrate(database).isEmpty)
        }
    }
}

extension MigrationStatus.State {
    var isProblem: Bool {
        switch self {
        case .changedSinceApplied, .missingFile: true
        case .applied, .pending: false
        }
    }
}
