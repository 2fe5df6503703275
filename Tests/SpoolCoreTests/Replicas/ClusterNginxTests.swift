import Foundation
import SpoolFal
import SpoolJSON
import SpoolPostgresTesting
import SpoolTestSupport
import Testing
@testable import SpoolCore

/// nginx running the documented `docs/cluster.nginx.conf` in front of replicas, one of which is down.
@Suite("nginx in front of replicas",
       .enabled(if: PostgresTestServer.isAvailable, "\(PostgresTestServer.unavailableReason ?? "")"),
       .timeLimit(.minutes(2)))
struct ClusterNginxTests {
    private static let nginx = "/usr/sbin/nginx"

    @Test("submits through the documented upstream block all succeed though one replica refuses connections, and each job runs once")
    func submitsThroughFront() async throws {
        guard FileManager.default.isExecutableFile(atPath: Self.nginx) else {
            Issue.record("nginx is missing: run scripts/install-deps.sh test")
            return
        }
        try await withGateway(backend: .postgres, simulate: { $0.queueSeconds = 0.2; $0.runSeconds = 0.5 }) { first in
            try await withGateway(joining: first) { second in
                let key = try await first.key(team: "marketing")
                let directory = try TemporaryDirectory()
                let port = try FreePort.pick()
                // The third upstream refuses connections: a port bound without listening, held for the whole test.
                let refusing = try RefusingPort()
                defer { refusing.close() }
                try Self.writeConfiguration(
                    in: directory.path, port: port, replicas: [first.gateway.port, second.gateway.port, refusing.number])
                let front = try BackgroundProcess(
                    Self.nginx, ["-p", directory.path, "-e", directory.path + "/error.log", "-c", directory.path + "/nginx.conf"],
                    environment: [:], logPath: directory.path + "/nginx.log")
                defer { front.stop() }
                let frontURL = "http://127.0.0.1:\(port)"
                try await eventually("nginx serves in front of the replicas") {
                    (try? await first.client.execute(HTTPClientRequest(method: .get, url: frontURL + "/healthz")))?.status == 200
                }

                var ids: [String] = []
                for _ in 0..<9 {
                    let answer = try await first.client.execute(HTTPClientRequest(
                        method: .post, url: frontURL + "/v1/jobs",
                        headers: [("Authorization", "Bearer \(key)"), ("Content-Type", "application/json")],
                        body: submission().serialized()))
                    #expect(answer.status == 202, "\(String(decoding: answer.body, as: UTF8.self))")
                    if let id = (try? JSONValue(parsing: answer.body))?["id"]?.stringValue { ids.append(id) }
                }
                #expect(ids.count == 9)
                let streamed = try await first.client.execute(HTTPClientRequest(
                    method: .get, url: frontURL + "/v1/jobs/\(ids[0])/events", headers: [("Authorization", "Bearer \(key)")]))
                let statuses = ServerSentEvents.parse(String(decoding: streamed.body, as: UTF8.self)).filter { $0.id != nil }
                    .compactMap { try? JSONValue(parsing: $0.data)["status"]?.stringValue }
                #expect(statuses.last == "completed")
                for id in ids { #expect(try await first.waitUntilTerminal(id, key: key)["status"]?.stringValue == "completed") }
                #expect(ReplicaTests.submits(first.simulator) == ids.count)
            }
        }
    }

    /// The documented blocks with the test's ports, inside a minimal nginx configuration that keeps every file in
    /// `directory` and stays in the foreground.
    private static func writeConfiguration(in directory: String, port: Int, replicas: [Int]) throws {
        var blocks = try String(contentsOfFile: RepositoryPaths.root + "/docs/cluster.nginx.conf", encoding: .utf8)
            .replacingOccurrences(of: "listen 8080;", with: "listen 127.0.0.1:\(port);")
        for (index, replica) in replicas.enumerated() {
            blocks = blocks.replacingOccurrences(of: "127.0.0.1:\(8081 + index);", with: "127.0.0.1:\(replica);")
        }
        try writeFile(directory + "/cluster.conf", blocks)
        try NginxMainConfiguration.write(in: directory, including: "cluster.conf")
    }
}
