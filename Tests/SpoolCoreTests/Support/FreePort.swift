import Foundation

/// A TCP port free at the time of asking (bound to port 0, read back, closed), for servers that cannot bind port
/// 0 themselves: a `spool` process told its address on the command line (whose start block prints the configured
/// address), a gateway that must know its own public URL before it starts, a replica restarted on the address it
/// had. Another program may take the port in between (`FalCallbackTests` retries for that); everything in-process
/// binds port 0 and reads the port back.
enum FreePort {
    static func pick() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
