import Foundation
import PackagePlugin

/// Builds the repository's data folders into the binary: every file of `migrations/`, `config/models/` and
/// `workbench/` becomes a string constant of the target it is applied to (`SpoolResources`).
///
/// The folders are listed each time the build is planned, so a file added to one of them (a new migration) is
/// embedded without naming it anywhere in code; each file is an input of the build command, so an edit re-embeds it.
@main
struct EmbedFolders: BuildToolPlugin {
    /// Each folder, as the Swift name of its constant and its path from the package's root.
    static let folders: [(name: String, path: String)] = [
        ("migrations", "migrations"), ("models", "config/models"), ("workbench", "workbench"),
    ]

    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedFolders.swift")
        var arguments = [output.path()]
        var inputs: [URL] = []
        for folder in Self.folders {
            let directory = context.package.directoryURL.appending(path: folder.path)
            arguments.append("\(folder.name)=\(directory.path())")
            inputs += try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
                .filter { !$0.lastPathComponent.hasPrefix(".") }
        }
        return [
            .buildCommand(
                displayName: "Embedding \(Self.folders.map(\.path).joined(separator: ", "))",
                executable: try context.tool(named: "FolderEmbedder").url,
                arguments: arguments, inputFiles: inputs, outputFiles: [output]),
        ]
    }
}
