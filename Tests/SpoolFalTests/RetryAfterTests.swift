import Foundation
import Testing
@testable import SpoolFal

@Suite("Retry-After")
struct RetryAfterTests {
    /// 1994-11-06 08:49:00 UTC, 37 s before the RFC's example date.
    let now = Date(timeIntervalSince1970: 784_111_740)

    @Test("delay seconds are taken as they are")
    func seconds() {
        #expect(RetryAfter.seconds("120", now: now) == 120)
        #expect(RetryAfter.seconds(" 0 ", now: now) == 0)
    }

    @Test("the three HTTP date forms give the seconds until that date", arguments: [
        "Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994",
    ])
    func dates(_ value: String) {
        #expect(RetryAfter.seconds(value, now: now) == 37)
    }

    @Test("a date in the past means no wait")
    func pastDate() {
        #expect(RetryAfter.seconds("Sat, 05 Nov 1994 08:49:37 GMT", now: now) == 0)
    }

    @Test("other values are ignored", arguments: ["", "soon", "-5", "inf", "Sun, 06 Nov 1994 25:00:00 GMT", "Sun, 32 Nov 1994 08:49:37 GMT"])
    func invalid(_ value: String) {
        #expect(RetryAfter.seconds(value, now: now) == nil)
    }

    @Test("dates across leap years convert like Foundation does")
    func leapYears() {
        let date = HTTPDate.parse("Thu, 29 Feb 2024 23:59:59 GMT")
        #expect(date == Date(timeIntervalSince1970: 1_709_251_199))
    }
}
