import Foundation
import PackagePlugin

/// Builds the repository's data folders into the binary: every file (not the folders inside: `migrations/postgres/`
/// is PostgreSQL's, embedded on its own) of `migrations/`, `migrations/postgres/`, `config/models/` and `workbench/`
/// becomes a string constant of the target it is applied to (`SpoolResources`).
///
/// Nothing names the files: the tool lists each folder when it runs. Its inputs are the folders themselves (a file
/// added or removed changes a folder, so a new migration is picked up at the next build) and every file listed
/// when the build was planned (so an edit re-embeds it). SwiftPM keeps a build plan until the package's structure
/// changes, so after deleting or renaming a file in these folders, `touch Package.swift` (otherwise the build
/// stops with "missing inputs").
@main
struct EmbedFolders: BuildToolPlugin {
    /// Each folder, as the Swift name of its constant and its path from the package's root.
    static let folders: [(name: String, path: String)] = [
        ("migrations", "migrations"), ("postgresMigrations", "migrations/postgres"), ("models", "config/models"),
        ("workbench", "workbench"),
    ]

    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedFolders.swift")
        var arguments = [output.path()]
        var inputs: [URL] = []
        for folder in Self.folders {
            let directory = context.package.directoryURL.appending(path: folder.path)
            arguments.append("\(folder.name)=\(directory.path())")
            inputs.append(directory)
            inputs += try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: [.isRegularFileKey])
                .filter { !$0.lastPathComponent.hasPrefix(".") && $0.hasDirectoryPath == false }
        }
        return [
            .buildCommand(
                displayName: "Embedding \(Self.folders.map(\.path).joined(separator: ", "))",
                executable: try context.tool(named: "FolderEmbedder").url,
                arguments: arguments, inputFiles: inputs, outputFiles: [output]),
        ]
    }
}
