#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import SpoolCore

@Suite("Webhook URLs: every spelling of a private address is refused at submit, as libcurl would read it")
struct WebhookURLSpellingTests {
    static let policy = WebhookURLPolicy(allowPrivate: false)

    /// Spellings of loopback, private, link-local, shared, multicast and reserved addresses, and of this machine.
    static let privateSpellings = [
        "http://127.0.0.1/", "http://2130706433/", "http://0x7f000001/", "http://0X7F000001/", "http://017700000001/",
        "http://127.1/", "http://127.0.1/", "http://0x7f.1/", "http://0177.0.0.1/", "http://0/", "http://0.0.0.0/",
        "http://localhost/", "http://localhost./", "http://LOCALHOST/", "http://LocalHost.:8080/x",
        "http://api.localhost/", "http://127.0.0.1./", "http://%31%32%37.0.0.1/", "http://%6c%6f%63%61%6c%68%6f%73%74/",
        "http://[::1]/", "http://[0:0:0:0:0:0:0:1]/", "http://[::]/", "http://[::ffff:127.0.0.1]/",
        "http://[::FFFF:7f00:1]/", "http://[::127.0.0.1]/", "http://[64:ff9b::a00:1]/", "http://[2002:7f00:1::]/",
        "http://[fe80::1%25eth0]/", "http://[fc00::1]/", "http://[fd12:3456::1]/", "http://[fe80::1]/", "http://[ff02::1]/",
        "http://10.0.0.1/", "http://10.255.255.255/", "http://167772161/", "http://172.16.0.1/", "http://172.31.255.254/",
        "http://192.168.1.1/", "http://0xc0a80101/", "http://169.254.169.254/latest/meta-data",
        "http://0xa9fea9fe/", "http://2852039166/", "http://100.64.0.1/", "http://100.127.255.255/", "http://0.1.2.3/",
        "http://224.0.0.1/", "http://239.255.255.250/", "http://240.0.0.1/", "http://255.255.255.255/",
        "https://127.0.0.1:8443/hook",
    ]

    /// Public addresses and names, in plain and unusual spellings, that must still be accepted.
    static let publicSpellings: [(url: String, host: String)] = [
        ("https://hooks.example.com/x", "hooks.example.com"), ("https://Hooks.Example.COM./x", "hooks.example.com."),
        ("http://8.8.8.8/", "8.8.8.8"), ("http://134744072/", "8.8.8.8"), ("http://0x08080808/", "8.8.8.8"),
        ("http://8.8.2056/", "8.8.8.8"), ("http://172.32.0.1/", "172.32.0.1"), ("http://100.128.0.1/", "100.128.0.1"),
        ("http://192.169.0.1/", "192.169.0.1"), ("http://[2606:4700::1111]/", "2606:4700::1111"),
        ("http://ex%61mple.com/", "example.com"), ("https://a-b_c.example.com:8443/", "a-b_c.example.com"),
        ("http://localhost.example.com/", "localhost.example.com"),
    ]

    /// Hosts that are not a name and not an address: refused whatever the private-address setting.
    static let malformedSpellings = [
        "http://1.2.3.4.5/", "http://8.8.8.8./", "http://256.0.0.1.2/", "http://0x/", "http://08.0.0.1/", "http://4294967296/",
        "http://1.16777216/", "http://example..com/", "http://.example.com/", "http://example.com../", "http://[::1/",
        "http://[127.0.0.1]/", "http://[zz::1]/", "http://exa%zzmple.com/", "http://exa%2fmple.com/",
        "http://bücher.example/", "http://example.com:+80/", "http://example.com:0/",
    ]

    @Test("private spellings are refused with the same message as http://127.0.0.1/")
    func privateSpellingsAreRefused() {
        for url in Self.privateSpellings {
            #expect(Self.policy.check(url) == .failure(WebhookURLPolicy.privateAddressProblem), "\(url)")
        }
    }

    @Test("public addresses and names are accepted, their host in the form that will be resolved")
    func publicSpellingsAreAccepted() throws {
        for (url, host) in Self.publicSpellings {
            let target = try Self.policy.check(url).get()
            #expect(target.host == host, "\(url)")
        }
    }

    @Test("hosts that are neither a name nor an address are refused, with private addresses allowed or not")
    func malformedHostsAreRefused() {
        for url in Self.malformedSpellings {
            for allowPrivate in [false, true] {
                guard case .failure(let problem) = WebhookURLPolicy(allowPrivate: allowPrivate).check(url) else {
                    Issue.record("\(url) was accepted")
                    continue
                }
                #expect(problem != WebhookURLPolicy.privateAddressProblem, "\(url)")
            }
        }
    }

    @Test("numeric IPv4 hosts read exactly as the C library's inet_aton reads them")
    func ipv4MatchesInetAton() throws {
        for text in ["2130706433", "0x7f000001", "017700000001", "127.1", "127.0.1", "0", "0x7f.1", "0177.0.0.1",
                     "10.0.0.1", "8.8.2056", "0x08.0x08.0x0808", "4294967295", "1.2.3.4", "00", "0x0"] {
            var expected = in_addr()
            #expect(inet_aton(text, &expected) == 1, "\(text)")
            let parsed = try #require(IPAddress(text), "\(text)")
            #expect(parsed.bytes == withUnsafeBytes(of: &expected) { Array($0) }, "\(text)")
        }
        for text in ["4294967296", "1.2.3.4.5", "1.256.0.0", "08", "0x", "1..1", "1.2.3.", "-1", "1.2.3.0x100"] {
            var ignored = in_addr()
            #expect(inet_aton(text, &ignored) == 0, "\(text)")
            #expect(IPAddress(text) == nil, "\(text)")
        }
    }

    @Test("the delivery-time check agrees: each refused address spelling resolves, before an attempt, to a refused address")
    func deliveryCheckAgrees() async throws {
        let permissive = WebhookURLPolicy(allowPrivate: true)
        for url in Self.privateSpellings {
            let target = try permissive.check(url).get()
            guard IPAddress(target.host) != nil else { continue }  // names of this machine: DNS-dependent
            let addresses = try await AddressResolver.resolve(target.host, port: target.port)
            #expect(!addresses.isEmpty && addresses.allSatisfy { !Self.policy.permits(resolved: $0) }, "\(url)")
        }
    }

    @Test("a submit with a private webhook spelling answers the same 422 as http://127.0.0.1/; a public one is taken")
    func submitRefusesEverySpelling() async throws {
        try await withGateway(configure: { $0.webhooks.allowPrivate = false }) { spool in
            let key = try await spool.key(team: "marketing")
            let reference = try await spool.request(
                .post, "/v1/jobs", key: key, json: submission(extra: ["webhook_url": "http://127.0.0.1/"]))
            #expect(reference.status == 422)
            let referenceError = try #require(reference.json["error"])
            #expect(referenceError["code"]?.stringValue == "validation_failed")
            #expect(referenceError["details"]?.arrayValue?.first?["field"]?.stringValue == "webhook_url")
            for url in ["http://2130706433/", "http://0x7f000001/", "http://017700000001/", "http://127.1/", "http://0/",
                        "http://localhost./", "http://[::ffff:127.0.0.1]/", "http://[::1]/", "http://%31%32%37.0.0.1/",
                        "http://169.254.169.254/", "http://[fd00::1]/"] {
                let answer = try await spool.request(.post, "/v1/jobs", key: key, json: submission(extra: ["webhook_url": .string(url)]))
                #expect(answer.status == 422, "\(url)")
                #expect(answer.json["error"] == referenceError, "\(url)")
            }
            let accepted = try await spool.request(
                .post, "/v1/jobs", key: key, json: submission(extra: ["webhook_url": "https://hooks.example.com/spool"]))
            #expect(accepted.status == 202)
        }
    }
}
