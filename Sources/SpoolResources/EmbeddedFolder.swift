/// One file carried in the binary: its name in its folder and its text, byte for byte as in the repository.
package struct EmbeddedFile: Sendable, Hashable {
    /// The file's name (`0001_init.sql`), without its folder.
    package let name: String
    /// The file's contents.
    package let text: String

    package init(name: String, text: String) {
        self.name = name
        self.text = text
    }

    /// The file's bytes, exactly those of the file it was built from.
    package var bytes: [UInt8] { Array(text.utf8) }
}

/// A folder of the repository carried in the binary, so that the binary runs alone.
///
/// The constants (`migrations`, `postgresMigrations`, `models`, `workbench`) are generated at build time by the
/// `EmbedFolders` plugin from every file in `migrations/`, `migrations/postgres/`, `config/models/` and `workbench/`.
package struct EmbeddedFolder: Sendable {
    /// The files, sorted by name.
    package let files: [EmbeddedFile]

    package init(files: [EmbeddedFile]) {
        self.files = files
    }
}
