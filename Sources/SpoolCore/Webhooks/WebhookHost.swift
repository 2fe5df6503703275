import SpoolHTTP

/// The host of a webhook URL, read as libcurl and the C resolver will read it when the webhook is sent, so that
/// the check at submit and the check before each attempt see the same address.
///
/// Percent escapes are decoded and letters lowercased (libcurl does both); one trailing dot is dropped (libcurl
/// drops it before resolving); a host whose last label is a number is an IPv4 address in inet_aton's syntax or
/// is refused, so `http://2130706433/` and `http://127.1/` are the loopback address they connect to.
enum WebhookHost: Sendable, Equatable {
    case address(IPAddress)
    case name(String)

    /// Names that mean this machine without asking DNS.
    static let localNames: Set<String> = ["localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"]

    /// Reads a host as it appears in a URL's authority: `bracketed` when it was written `[…]` (IPv6).
    static func parse(_ raw: Substring, bracketed: Bool) -> Result<WebhookHost, WebhookURLProblem> {
        if bracketed {
            let address = raw.prefix { $0 != "%" }  // a zone (`%25eth0`) names an interface, not an address
            guard let parsed = IPAddress(String(address)), parsed.bytes.count == 16 else {
                return .failure(.init("has a malformed IPv6 host"))
            }
            return .success(.address(parsed))
        }
        guard let decoded = PercentDecoding.decode(raw) else { return .failure(.init("has a malformed host")) }
        var host = decoded.lowercased()
        if host.hasSuffix(".") { host.removeLast() }
        guard !host.isEmpty else { return .failure(.init("has no host")) }
        guard host.unicodeScalars.allSatisfy(\.isASCII) else {
            return .failure(.init("must spell an internationalized host name in its ASCII form (xn--…)"))
        }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(isHostNameByte) }) else {
            return .failure(.init("has a malformed host"))
        }
        if let last = labels.last, looksNumeric(last) {
            guard let address = IPAddress(host), address.bytes.count == 4 else {
                return .failure(.init("has a malformed IPv4 address"))
            }
            return .success(.address(address))
        }
        return .success(.name(host))
    }

    /// Loopback, private and reserved addresses, and the names of this machine.
    var isPrivate: Bool {
        switch self {
        case .address(let address): address.isPrivate
        case .name(let name): Self.localNames.contains(name) || name.hasSuffix(".localhost")
        }
    }

    /// What to resolve and connect to: the canonical address, or the normalized name.
    var text: String {
        switch self {
        case .address(let address): address.description
        case .name(let name): name
        }
    }

    private static func isHostNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"),
            UInt8(ascii: "_"):
            true
        default: false
        }
    }

    /// Whether a label is a number to inet_aton: decimal digits, or `0x` and hexadecimal digits.
    private static func looksNumeric(_ label: Substring) -> Bool {
        if label.hasPrefix("0x") { return label.dropFirst(2).allSatisfy(\.isHexDigit) }
        return label.allSatisfy(\.isASCII) && label.allSatisfy(\.isNumber)
    }
}
