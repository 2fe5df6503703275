import Foundation
import SpoolStore
import SpoolTestSupport
import Testing
@testable import SpoolCore

@Suite("Migrations and catalog carried in the binary, and the folders that override them")
struct EmbeddedResourcesTests {
    @Test("the carried migrations have the checksums of migrations/: a database migrated from the folder keeps migrating from the binary")
    func sameChecksumsAsTheFolder() async throws {
        let directory = try TemporaryDirectory()
        let fromFolder = Migrator(directory: RepositoryPaths.root + "/migrations")
        let carried = try ResourceLocator.migrator(SpoolConfiguration())
        #expect(try carried.loadMigrations().map(\.checksum) == fromFolder.loadMigrations().map(\.checksum))
        #expect(try !carried.loadMigrations().isEmpty)

        let database = try SQLiteDatabase(path: directory.path + "/spool.db", readers: 1)
        let applied = try await fromFolder.migrate(database)
        #expect(!applied.isEmpty)
        #expect(try await carried.migrate(database).isEmpty, "nothing left to apply, and no checksum refused")
        let statuses = try await carried.status(database)
        #expect(statuses.allSatisfy { if case .applied = $0.state { true } else { false } })
    }

    @Test("SPOOL_MIGRATIONS_DIR and SPOOL_MODELS_DIR still override what the binary carries")
    func foldersOverride() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.path + "/migrations", withIntermediateDirectories: true)
        try writeFile(directory.path + "/migrations/0001_only.sql", "CREATE TABLE only_here (id INTEGER);")
        try FileManager.default.createDirectory(atPath: directory.path + "/models", withIntermediateDirectories: true)
        let one = CatalogFixture.referenceToVideo + ".json"
        try FileManager.default.copyItem(atPath: CatalogFixture.directory + "/" + one, toPath: directory.path + "/models/" + one)

        var configuration = SpoolConfiguration()
        configuration.migrationsDirectory = directory.path + "/migrations"
        configuration.modelsDirectory = directory.path + "/models"
        #expect(try ResourceLocator.migrator(configuration).loadMigrations().map(\.fileName) == ["0001_only.sql"])
        #expect(try ResourceLocator.catalog(configuration).models.map(\.id) == [CatalogFixture.referenceToVideo])
        #expect(try ResourceLocator.catalog(SpoolConfiguration()).models.count == CatalogFixture.catalog().models.count)
    }
}
