import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `/bin/sleep` started with plain posix_spawn, which hands the child every descriptor not marked close-on-exec,
/// as test helpers and other programs' launchers do.
struct SleepingChild {
    let pid: pid_t

    init(seconds: Int) throws {
        var child: pid_t = 0
        var argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sleep"), strdup("\(seconds)"), nil]
        defer { argv.forEach { free($0) } }
        let status = posix_spawn(&child, "/bin/sleep", nil, nil, &argv, environ)
        guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .ENOENT) }
        pid = child
    }

    func end() {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }
}
