#if canImport(Glibc)
import Glibc
#endif

/// posix_spawn with every signal unblocked in the child (the spawning thread may block SIGTERM, and a child
/// inherits its mask), for the test helpers that start programs. Each caller reaps its own child with
/// ``wait(_:)``; nothing here waits for "any child", so helpers running side by side never steal each other's exits.
package enum Spawn {
    /// An error of posix_spawn or pipe, with its errno.
    package struct Failure: Error, CustomStringConvertible {
        package let call: String
        package let code: Int32
        package var description: String { "\(call) failed: \(String(cString: strerror(code)))" }
    }

    /// Starts `program` (an absolute path) with exactly `environment`, in `directory` when given; `files` adds the
    /// file actions (redirections) of the child.
    package static func start(
        _ program: String, _ arguments: [String], environment: [String: String], directory: String? = nil,
        files: (inout posix_spawn_file_actions_t) -> Void
    ) throws -> pid_t {
        // glibc's posix_spawn_file_actions_addchdir_np is not visible to Swift here; env(1) changes directory
        // and then replaces itself with the program, so the pid is still the program's.
        if let directory {
            return try start("/usr/bin/env", ["-C", directory, program] + arguments, environment: environment, files: files)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        files(&actions)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        var argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, program, &actions, &attributes, &argv, &envp)
        guard status == 0 else { throw Failure(call: "posix_spawn \(program)", code: status) }
        return child
    }

    /// A one-way channel (read end first) whose two ends are created close-on-exec in one call, so that only the
    /// child it is handed to (by a `dup2` file action, which clears the flag on the copy) holds its write end; a
    /// program another test starts meanwhile must not inherit it, or reading to the end would wait for that program
    /// to exit. A socket pair, because glibc's `pipe2` is not visible to Swift and `pipe` + `fcntl` leaves a gap.
    package static func pipe() throws -> [Int32] {
        var ends: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &ends) == 0 else {
            throw Failure(call: "socketpair", code: errno)
        }
        shutdown(ends[0], Int32(SHUT_WR))
        shutdown(ends[1], Int32(SHUT_RD))
        return ends
    }

    /// Waits for `pid` (retrying on EINTR) and returns its exit status (128 + signal when a signal ended it).
    package static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}
