import Foundation
import SpoolTestSupport
import Testing
@testable import SpoolCore

/// fal's official Python client, pointed at Spool only through its own host settings, through nginx running
/// the TLS front configuration from `docs/fal-surface.nginx.conf` with a certificate made for the test.
@Suite("fal surface: fal's Python client through a TLS front")
struct FalClientThroughTLSTests {
    private static let nginx = "/usr/sbin/nginx"
    private static let openssl = "/usr/bin/openssl"

    @Test("submit, subscribe with logs, status, result, run and cancel work; jobs are the team's and fire its webhook")
    func pythonClientThroughNginx() async throws {
        // A run of 3 s: Spool reports `IN_PROGRESS` only once its own poll of fal has seen the run, and on a loaded
        // machine a 1.5 s run was once over before that poll (the client then saw Queued, then Completed).
        try await withFalSurface(simulate: {
            $0.queueSeconds = 0.5
            $0.runSeconds = 3
        }) { fixture in
            let key = try await fixture.spool.key(team: "studio")
            try await Self.throughFront(fixture) { front in
                let outcome = try await front.runPython("fal_surface_client.py", [fixture.spool.baseURL], key: key)
                #expect(outcome.status == 0, "\(outcome.output)\n\(front.log)")
            }
        }
    }

    @Test("subscribe(client_timeout=) cancels the job of a team that honours the surface's cancels; one that ignores them keeps it running")
    func clientTimeoutCancels() async throws {
        try await withFalSurface(
            configure: { $0.teams.overrides["patient"] = .init(falSurfaceCancels: .ignore) },
            // Runs far longer than the script's client_timeout of 3 s, so that the client gives up first.
            simulate: {
                $0.queueSeconds = 0.5
                $0.runSeconds = 10
            }) { fixture in
            let studio = try await fixture.spool.key(team: "studio")
            let patient = try await fixture.spool.key(team: "patient")
            try await Self.throughFront(fixture) { front in
                for (mode, key) in [("honour", studio), ("ignore", patient)] {
                    let outcome = try await front.runPython("fal_client_timeout.py", [mode, fixture.spool.baseURL], key: key)
                    #expect(outcome.status == 0, "\(mode): \(outcome.output)\n\(front.log)")
                }
            }
        }
    }

    /// nginx in front of `fixture`'s surface, and how to run a Python script pointed at it.
    private struct Front {
        let port: Int
        let directory: TemporaryDirectory
        let process: BackgroundProcess

        var log: String { process.log }

        /// Runs `Tests/python/<script>` with fal's client pointed at the front through its own host settings.
        func runPython(_ script: String, _ arguments: [String], key: String) async throws -> ChildProcess.Outcome {
            try await ChildProcess.run(
                PythonReceiver.python, [RepositoryPaths.root + "/Tests/python/" + script] + arguments,
                environment: ProcessInfo.processInfo.environment.merging([
                    "FAL_KEY": key, "FAL_QUEUE_RUN_HOST": "127.0.0.1:\(port)", "FAL_RUN_HOST": "127.0.0.1:\(port)/run",
                    "SSL_CERT_FILE": directory.path + "/fal.crt",
                ]) { $1 },
                timeoutSeconds: 120)
        }
    }

    /// Starts nginx with the documented configuration in front of `fixture`, runs `body`, then stops nginx.
    private static func throughFront(_ fixture: FalSurfaceFixture, _ body: (Front) async throws -> Void) async throws {
        guard FileManager.default.isExecutableFile(atPath: Self.nginx), FileManager.default.isExecutableFile(atPath: Self.openssl)
        else {
            Issue.record("nginx or openssl is missing: run scripts/install-deps.sh test")
            return
        }
        let directory = try TemporaryDirectory()
        let port = try FreePort.pick()
        try await Self.makeCertificate(in: directory.path)
        try Self.writeConfiguration(in: directory.path, port: port, upstream: fixture.surfaceURL)
        let process = try BackgroundProcess(
            Self.nginx, ["-p", directory.path, "-e", directory.path + "/error.log", "-c", directory.path + "/nginx.conf"], environment: [:],
            logPath: directory.path + "/nginx.log")
        defer { process.stop() }
        do {
            try await eventually("nginx accepts connections") { Self.accepts(port: port) }
        } catch let timedOut as ConditionNotMet {
            throw TestFailure("\(timedOut): \(process.log)")
        }
        try await body(Front(port: port, directory: directory, process: process))
    }

    private static func makeCertificate(in directory: String) async throws {
        let outcome = try await ChildProcess.run(Self.openssl, [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout", directory + "/fal.key", "-out", directory + "/fal.crt",
        ])
        guard outcome.status == 0 else { throw CertificateFailed(output: outcome.output) }
    }

    private struct CertificateFailed: Error { var output: String }

    /// The documented server block with the test's port, certificate and upstream, inside a minimal nginx
    /// configuration that keeps every file in `directory` and stays in the foreground.
    private static func writeConfiguration(in directory: String, port: Int, upstream: String) throws {
        let documented = try String(contentsOfFile: RepositoryPaths.root + "/docs/fal-surface.nginx.conf", encoding: .utf8)
        let server = documented
            .replacingOccurrences(of: "listen 8443 ssl;", with: "listen 127.0.0.1:\(port) ssl;")
            .replacingOccurrences(of: "/etc/spool/tls/", with: directory + "/")
            .replacingOccurrences(of: "http://127.0.0.1:8090", with: upstream)
        try writeFile(directory + "/fal-surface.conf", server)
        try NginxMainConfiguration.write(in: directory, including: "fal-surface.conf")
    }

    private static func accepts(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
