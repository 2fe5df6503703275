/// Why migrations were refused or failed. Each message names the file and says what to do.
package enum MigrationError: Error, CustomStringConvertible, Sendable {
    /// A `.sql` file whose name is not `NNNN_name.sql`.
    case invalidFileName(String)
    /// A file that is not UTF-8 text.
    case notUTF8(String)
    /// The migrations directory or a file in it could not be read.
    case unreadable(path: String, reason: String)
    /// Two files with the same version number.
    case duplicateVersion(Int, files: [String])
    /// An applied migration whose file no longer has the bytes it had when applied.
    case changedAfterApplied(fileName: String, recordedChecksum: String, fileChecksum: String)
    /// An applied version whose file now has another name.
    case renamedAfterApplied(version: Int, recordedName: String, fileName: String)
    /// The database records a migration that the directory does not have (a binary older than its database,
    /// or a deleted file).
    case appliedButMissing(version: Int, name: String)
    /// A migration's SQL failed; it was rolled back entirely and not recorded.
    case failed(fileName: String, error: SQLiteError)

    package var description: String {
        switch self {
        case .invalidFileName(let file):
            "migration file \(file) is not named NNNN_name.sql (four or more digits, an underscore, then letters, "
                + "digits, '_' or '-'); rename it"
        case .notUTF8(let file):
            "migration \(file) is not UTF-8 text"
        case .unreadable(let path, let reason):
            "cannot read migrations at \(path): \(reason)"
        case .duplicateVersion(let version, let files):
            "migration version \(version) is used by more than one file (\(files.joined(separator: ", "))); "
                + "give each file its own number"
        case .changedAfterApplied(let file, let recorded, let current):
            "migration \(file) was changed after it was applied (recorded sha256 \(recorded), file sha256 "
                + "\(current)); restore the file or write a new migration"
        case .renamedAfterApplied(let version, let recordedName, let file):
            "migration \(version) was applied as '\(recordedName)' but its file is now \(file); "
                + "restore the file name"
        case .appliedButMissing(let version, let name):
            "the database has migration \(version) ('\(name)') applied, but there is no such migration file; "
                + "this binary or migrations directory is older than the database"
        case .failed(let file, let error):
            "migration \(file) failed and was rolled back: \(error)"
        }
    }
}
