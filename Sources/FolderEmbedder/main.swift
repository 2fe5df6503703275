import Foundation

/// Writes a Swift file that holds folders' files as string constants (run by the `EmbedFolders` build plugin).
///
/// Usage: `FolderEmbedder OUTPUT NAME=DIRECTORY…`. Each folder becomes `EmbeddedFolder.NAME`, its files sorted by
/// name (hidden files skipped). Files must be UTF-8 text: a string literal keeps every byte, so a migration's
/// checksum is the same as its file's, and compiles far faster than a byte-array literal.
let arguments = CommandLine.arguments.dropFirst()
guard let outputPath = arguments.first else {
    FileHandle.standardError.write(Data("usage: FolderEmbedder OUTPUT NAME=DIRECTORY...\n".utf8))
    exit(2)
}

/// `text` as the body of a one-line Swift string literal.
func literal(_ text: String) -> String {
    var escaped = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\\": escaped += "\\\\"
        case "\"": escaped += "\\\""
        case "\n": escaped += "\\n"
        case "\r": escaped += "\\r"
        case "\t": escaped += "\\t"
        case _ where scalar.value < 0x20 || scalar.value == 0x7F:
            escaped += "\\u{" + String(scalar.value, radix: 16) + "}"
        default: escaped.unicodeScalars.append(scalar)
        }
    }
    return escaped
}

var source = "// Generated at build time by FolderEmbedder from the repository's folders; do not edit.\n\n"
source += "extension EmbeddedFolder {\n"
for argument in arguments.dropFirst() {
    let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
    guard parts.count == 2 else {
        FileHandle.standardError.write(Data("FolderEmbedder: expected NAME=DIRECTORY, got \(argument)\n".utf8))
        exit(2)
    }
    let (name, directory) = (parts[0], parts[1])
    // Files only: a folder inside (such as `migrations/postgres`, PostgreSQL's) is not part of this one.
    let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { file in
        var isFolder: ObjCBool = false
        return !file.hasPrefix(".") && FileManager.default.fileExists(atPath: directory + "/" + file, isDirectory: &isFolder)
            && !isFolder.boolValue
    }.sorted()
    source += "    /// The files of `\(directory)` when the binary was built.\n"
    source += "    package static let \(name) = EmbeddedFolder(files: [\n"
    for file in files {
        let path = directory + "/" + file
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            FileHandle.standardError.write(Data("FolderEmbedder: \(path) cannot be read as UTF-8 text\n".utf8))
            exit(1)
        }
        source += "        EmbeddedFile(name: \"\(literal(file))\", text: \"\(literal(text))\"),\n"
    }
    source += "    ])\n"
}
source += "}\n"
try Data(source.utf8).write(to: URL(fileURLWithPath: outputPath), options: .atomic)
