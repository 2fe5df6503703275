#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which webhook URLs Spool will call: http or https, no credentials in the URL, and — unless private
/// addresses are allowed — a host that does not resolve to loopback, private, link-local (cloud metadata
/// lives there), unspecified, multicast or reserved ranges.
///
/// The URL is checked when a job is submitted (a literal address or `localhost` can be refused then) and the
/// addresses it resolves to are checked again before every attempt, since DNS can change in between.
public struct WebhookURLPolicy: Sendable {
    public var allowPrivate: Bool

    public init(allowPrivate: Bool) { self.allowPrivate = allowPrivate }

    /// The parts of a webhook URL that matter here.
    public struct Target: Sendable, Equatable {
        public var scheme: String
        public var host: String
        public var port: Int
    }

    /// Checks what can be checked without DNS; returns the target or a sentence saying what is wrong.
    public func check(_ url: String) -> Result<Target, WebhookURLProblem> {
        guard let schemeEnd = url.range(of: "://") else { return .failure(.init("must be an absolute http or https URL")) }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return .failure(.init("must use http or https")) }
        let rest = url[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.contains("@") else { return .failure(.init("must not carry credentials")) }
        guard !url.contains(where: { $0 == " " || $0.asciiValue.map { $0 < 0x20 } == true }) else {
            return .failure(.init("must not contain spaces or control characters"))
        }
        var host = String(authority)
        var port = scheme == "https" ? 443 : 80
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return .failure(.init("has a malformed IPv6 host")) }
            let after = host[host.index(after: close)...]
            if after.hasPrefix(":") {
                guard let number = Int(after.dropFirst()), (1...65535).contains(number) else {
                    return .failure(.init("has an invalid port"))
                }
                port = number
            } else if !after.isEmpty {
                return .failure(.init("has a malformed host"))
            }
            host = String(host[host.index(after: host.startIndex)..<close])
        } else if let colon = host.lastIndex(of: ":") {
            guard let number = Int(host[host.index(after: colon)...]), (1...65535).contains(number) else {
                return .failure(.init("has an invalid port"))
            }
            port = number
            host = String(host[..<colon])
        }
        host = host.lowercased()
        guard !host.isEmpty else { return .failure(.init("has no host")) }
        if !allowPrivate {
            if host == "localhost" || host.hasSuffix(".localhost") {
                return .failure(.init("points at a private address (set SPOOL_ALLOW_PRIVATE_WEBHOOKS to allow)"))
            }
            if let address = IPAddress(host), address.isPrivate {
                return .failure(.init("points at a private address (set SPOOL_ALLOW_PRIVATE_WEBHOOKS to allow)"))
            }
        }
        return .success(Target(scheme: scheme, host: host, port: port))
    }

    /// Checks an address the host resolved to, just before connecting.
    public func permits(resolved address: IPAddress) -> Bool { allowPrivate || !address.isPrivate }
}

/// Why a webhook URL is refused.
public struct WebhookURLProblem: Error, Sendable, Equatable {
    public let message: String
    init(_ message: String) { self.message = message }
}

/// An IPv4 or IPv6 address, parsed from text.
public struct IPAddress: Sendable, Equatable, CustomStringConvertible {
    public let bytes: [UInt8]
    public let description: String

    /// Parses a literal such as `10.0.0.1` or `fe80::1`; nil for anything else (host names included).
    public init?(_ text: String) {
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
        } else if inet_pton(AF_INET6, text, &v6) == 1 {
            bytes = withUnsafeBytes(of: &v6) { Array($0) }
        } else {
            return nil
        }
        description = text
    }

    /// Loopback, private, shared (CGNAT), link-local, unspecified, multicast, reserved or documentation ranges,
    /// and IPv6 forms that embed an IPv4 address in one of those.
    public var isPrivate: Bool {
        if bytes.count == 4 { return Self.isPrivateV4(bytes) }
        let v4Mapped = bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
        let nat64 = bytes[0..<12] == [0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0][...]
        if v4Mapped || nat64 { return Self.isPrivateV4(Array(bytes[12..<16])) }
        if bytes.allSatisfy({ $0 == 0 }) { return true }                       // ::
        if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return true } // ::1
        if bytes[0] & 0xFE == 0xFC { return true }                             // fc00::/7 unique local
        if bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80 { return true }         // fe80::/10 link-local
        if bytes[0] == 0xFE && bytes[1] & 0xC0 == 0xC0 { return true }         // fec0::/10 site-local
        if bytes[0] == 0xFF { return true }                                    // multicast
        if bytes[0] == 0x20 && bytes[1] == 0x01 && bytes[2] == 0x0D && bytes[3] == 0xB8 { return true } // documentation
        return false
    }

    private static func isPrivateV4(_ b: [UInt8]) -> Bool {
        switch (b[0], b[1]) {
        case (0, _), (10, _), (127, _): return true
        case (100, 64...127): return true          // shared address space (CGNAT)
        case (169, 254): return true               // link-local, cloud metadata
        case (172, 16...31): return true
        case (192, 168): return true
        case (192, 0) where b[2] == 0 || b[2] == 2: return true
        case (198, 18...19): return true           // benchmarking
        case (198, 51) where b[2] == 100: return true
        case (203, 0) where b[2] == 113: return true
        case (224...255, _): return true           // multicast, reserved, broadcast
        default: return false
        }
    }
}
