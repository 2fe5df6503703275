#if canImport(Glibc)
import Glibc
#endif

/// The name a replica goes by when `SPOOL_REPLICA_ID` does not give one.
enum ReplicaName {
    /// `<host name>:<process id>`: unique among the processes of one host, and telling which host.
    static var `default`: String {
        var buffer = [CChar](repeating: 0, count: 256)
        let host = gethostname(&buffer, buffer.count) == 0
            ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "localhost"
        return "\(host):\(getpid())"
    }
}
