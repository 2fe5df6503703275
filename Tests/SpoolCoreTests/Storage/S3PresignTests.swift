import SpoolJSON
import Testing

@testable import SpoolCore

/// Spool's SigV4 query signer against botocore's (`Tests/python/s3_presign.py`) on fixed inputs: moto's server
/// checks no presigned signature and no expiry, so this byte-for-byte comparison is what proves the signer.
@Suite("S3 presigned URLs")
struct S3PresignTests {
    struct Case: Sendable {
        var endpoint: String?
        var bucket = "spool-outputs"
        var key: String
        var region = "us-east-1"
        var pathStyle: Bool
        var sessionToken: String?
        var expires = 900
    }

    static let accessKeyID = "AKIDEXAMPLE"
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    /// 2025-12-04 08:00:00 UTC, and a second just before midnight so that the day in the scope is checked too.
    static let times = [1_764_835_200, 1_764_892_799]

    static let cases: [Case] = [
        Case(endpoint: "http://127.0.0.1:9000", key: "jobs/job_01/output.mp4", pathStyle: true),
        Case(endpoint: "http://127.0.0.1:9000", key: "jobs/a b/été ✓ 動画.mp4", pathStyle: true, expires: 1),
        Case(endpoint: nil, key: "jobs/x+y=z/!*'()&$@,;:?#[] %.mp4", region: "eu-west-3", pathStyle: false,
             expires: 604_800),
        Case(endpoint: "https://storage.example.com", key: "teams/blue/video.mp4", region: "auto", pathStyle: true,
             sessionToken: "FwoGZXIvYXdzE+/token=="),
        Case(endpoint: nil, key: "a/b/c.mp4", region: "ap-southeast-2", pathStyle: false,
             sessionToken: "IQoJb3JpZ2luX2Vj//session+token"),
    ]

    @Test("presigned GET URLs are byte for byte those of botocore's signer")
    func matchesBotocore() async throws {
        var ours: [String] = []
        var inputs: [JSONValue] = []
        for time in Self.times {
            for item in Self.cases {
                let credentials = S3Credentials(
                    accessKeyID: Self.accessKeyID, secretAccessKey: Self.secret, sessionToken: item.sessionToken)
                let addressing = try S3Addressing(
                    endpoint: item.endpoint, region: item.region, bucket: item.bucket, pathStyle: item.pathStyle)
                ours.append(SigV4QuerySigner(credentials: credentials, region: item.region)
                    .presignedGET(of: item.key, at: addressing, date: time, expiresInSeconds: item.expires))
                inputs.append(.object([
                    "endpoint": .string(item.endpoint ?? "https://s3.\(item.region).amazonaws.com"),
                    "bucket": .string(item.bucket), "key": .string(item.key), "region": .string(item.region),
                    "access_key_id": .string(Self.accessKeyID), "secret_access_key": .string(Self.secret),
                    "session_token": item.sessionToken.map(JSONValue.string) ?? .null,
                    "path_style": .bool(item.pathStyle), "timestamp": .number(Double(time)),
                    "expires": .number(Double(item.expires)),
                ]))
            }
        }

        let outcome = try await PythonScript.run("s3_presign.py", [JSONValue.array(inputs).serializedString()])

        #expect(outcome.status == 0, "\(outcome.output)")
        let theirs = outcome.output.split(separator: "\n").map(String.init).filter { $0.hasPrefix("http") }
        #expect(theirs.count == ours.count)
        for (mine, botocore) in zip(ours, theirs) { #expect(mine == botocore) }
    }

    @Test("the storage's location is a presigned redirect that expires as asked, and never shows the secret")
    func locationIsPresignedRedirect() async throws {
        var settings = S3StorageSettings()
        settings.bucket = "spool-outputs"
        settings.region = "eu-west-3"
        let storage = try S3FileStorage(
            settings: settings,
            credentials: S3Credentials(accessKeyID: Self.accessKeyID, secretAccessKey: Self.secret),
            stagingDirectory: "/tmp", clock: { Self.times[0] })

        let location = try await storage.location(of: "jobs/job_01/output.mp4", expiresIn: .milliseconds(90_500))

        guard case .redirect(let url) = location else { Issue.record("not a redirect: \(location)"); return }
        #expect(url.hasPrefix("https://spool-outputs.s3.eu-west-3.amazonaws.com/jobs/job_01/output.mp4?"))
        #expect(url.contains("X-Amz-Date=20251204T080000Z&X-Amz-Expires=91&"))
        #expect(!url.contains(Self.secret) && !url.contains("wJalrXUtnFEMI"))
    }
}
