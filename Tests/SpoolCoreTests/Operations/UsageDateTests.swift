import Testing
@testable import SpoolCore

@Suite("GET /v1/usage reads its days strictly: real dates, whole values, from not after to")
struct UsageDateTests {
    @Test("junk after a date, impossible dates and from after to are 422 validation_failed naming the parameter")
    func malformedDaysAreRefused() async throws {
        try await withGateway { spool in
            let key = try await spool.key(team: "marketing")
            let refused: [(query: String, field: String)] = [
                ("from=2024-01-01junk", "from"), ("to=2024-01-01junk", "to"), ("from=2024-02-30", "from"),
                ("to=2023-02-29", "to"), ("from=2024-13-01", "from"), ("from=2024-1-01", "from"), ("from=+2024-01-01", "from"),
                ("from=2024-01-01T25:00:00Z", "from"), ("from=2024-01-01T10:00:00", "from"),
                ("from=2024-01-01T10:00:00Zjunk", "from"), ("from=2024-01-01T10:00:00.Z", "from"),
                ("from=2024-03-02&to=2024-03-01", "from"),
            ]
            for (query, field) in refused {
                let answer = try await spool.request(.get, "/v1/usage?" + query, key: key)
                #expect(answer.status == 422, "\(query)")
                #expect(answer.json["error"]?["code"]?.stringValue == "validation_failed", "\(query)")
                #expect(answer.json["error"]?["details"]?.arrayValue?.first?["field"]?.stringValue == field, "\(query)")
            }
        }
    }

    @Test("exact dates, a leap day and RFC 3339 timestamps (as their UTC day) are accepted")
    func wellFormedDaysAreAccepted() async throws {
        try await withGateway { spool in
            let key = try await spool.key(team: "marketing")
            let accepted: [(query: String, from: String, to: String)] = [
                ("from=2024-02-29&to=2024-03-01", "2024-02-29", "2024-03-01"),
                ("from=2024-01-01&to=2024-01-01", "2024-01-01", "2024-01-01"),
                ("from=2024-01-01T23:30:00-05:00&to=2024-01-03T00:00:00.5Z", "2024-01-02", "2024-01-03"),
                ("from=2023-12-31T23:59:59.999%2B01:00&to=2024-01-01", "2023-12-31", "2024-01-01"),
            ]
            for (query, from, to) in accepted {
                let answer = try await spool.request(.get, "/v1/usage?" + query, key: key)
                #expect(answer.status == 200, "\(query): \(answer.text)")
                #expect(answer.json["from"]?.stringValue == from, "\(query)")
                #expect(answer.json["to"]?.stringValue == to, "\(query)")
            }
        }
    }

    @Test("Timestamp(rfc3339:) reads back what rfc3339 writes, across eras, and refuses what is not exactly a timestamp")
    func timestampRoundTrip() {
        for milliseconds: Int64 in [0, 1, 951_782_400_000, 1_709_164_800_123, 4_102_444_799_999, -62_135_596_800_000, -1] {
            let time = Timestamp(milliseconds: milliseconds)
            #expect(Timestamp(rfc3339: time.rfc3339) == time, "\(time.rfc3339)")
            #expect(Timestamp.utcDay(parsing: time.day) == time.day)
        }
        #expect(Timestamp(rfc3339: "2024-01-01T00:00:00+01:00")?.rfc3339 == "2023-12-31T23:00:00.000Z")
        #expect(Timestamp(rfc3339: "2024-01-01t10:00:00.123456z")?.rfc3339 == "2024-01-01T10:00:00.123Z")
        for text in ["2024-01-01", "2024-01-01T10:00Z", "2024-01-01T10:00:00+0100", "2024-01-01T10:00:00+24:00",
                     "2024-02-30T00:00:00Z", "2024-01-01 10:00:00Z", "２０２４-01-01T00:00:00Z"] {
            #expect(Timestamp(rfc3339: text) == nil, "\(text)")
        }
    }
}
