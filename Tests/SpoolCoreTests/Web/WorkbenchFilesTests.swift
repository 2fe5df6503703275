import Foundation
import SpoolResources
import SpoolTestSupport
import Testing
@testable import SpoolCore

/// The repository's `workbench/` folder, which the build embeds.
enum WorkbenchFiles {
    static let folder = RepositoryPaths.root + "/workbench"
    static var names: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }
}

/// `node`, when this machine has it (Debian's `nodejs`).
enum NodeTool {
    static let path = ["/usr/bin/node", "/usr/local/bin/node"].first { FileManager.default.isExecutableFile(atPath: $0) }
}

@Suite("The workbench's files and the folders the binary carries")
struct WorkbenchFilesTests {
    @Test("every JavaScript module of workbench/ passes node --check (a syntax error fails the suite)",
          .enabled(if: NodeTool.path != nil, "needs node (apt-get install nodejs) to check the modules' syntax"))
    func modulesParse() async throws {
        let modules = WorkbenchFiles.names.filter { $0.hasSuffix(".mjs") }
        #expect(!modules.isEmpty)
        for module in modules {
            let outcome = try await ChildProcess.run(try #require(NodeTool.path), ["--check", WorkbenchFiles.folder + "/" + module])
            #expect(outcome.status == 0, "\(module): \(outcome.output)")
        }
    }

    @Test("node --check refuses a module with a syntax error, so the check above can fail",
          .enabled(if: NodeTool.path != nil, "needs node (apt-get install nodejs) to check the modules' syntax"))
    func checkCatchesErrors() async throws {
        let directory = try TemporaryDirectory()
        try writeFile(directory.path + "/broken.mjs", "import { a } from './a.mjs';\nexport function f( {\n")
        let outcome = try await ChildProcess.run(try #require(NodeTool.path), ["--check", directory.path + "/broken.mjs"])
        #expect(outcome.status != 0)
    }

    @Test("the binary carries every file of workbench/, migrations/ and config/models/, byte for byte")
    func embeddedFoldersMatchTheRepository() throws {
        for (folder, path) in [(EmbeddedFolder.workbench, "workbench"), (EmbeddedFolder.migrations, "migrations"),
                               (EmbeddedFolder.models, "config/models")] {
            let directory = RepositoryPaths.root + "/" + path
            // Files only: `migrations/postgres/` is PostgreSQL's own folder, not part of SQLite's migrations.
            let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { name in
                var isFolder: ObjCBool = false
                return !name.hasPrefix(".")
                    && FileManager.default.fileExists(atPath: directory + "/" + name, isDirectory: &isFolder) && !isFolder.boolValue
            }.sorted()
            #expect(folder.files.map(\.name) == names, "\(path)")
            for file in folder.files {
                let bytes = try #require(FileManager.default.contents(atPath: directory + "/" + file.name))
                #expect(file.bytes == Array(bytes), "\(path)/\(file.name)")
            }
        }
    }
}
