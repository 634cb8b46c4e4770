import Foundation
import Testing

@testable import Domain

@Suite struct RFC3339Tests {
    @Test(arguments: [
        ("2026-12-24T09:00:00Z", 1_798_102_800.0),
        ("2026-12-24T09:00:00.250-03:00", 1_798_113_600.25),
        ("2024-02-29T23:59:59+05:30", 1_709_231_399.0),
        ("1970-01-01T00:00:00Z", 0.0),
        ("1969-12-31T23:00:00-01:00", 0.0),
        ("2000-03-01t00:00:00z", 951_868_800.0),
        ("0001-01-01T00:00:00Z", -62_135_596_800.0),
        ("2026-12-24T09:00:00.123456789Z", 1_798_102_800.123456789),
    ])
    func validInstantParsed(text: String, secondsSince1970: Double) throws {
        let date = try #require(RFC3339.parse(text))
        #expect(abs(date.timeIntervalSince1970 - secondsSince1970) < 0.000_001)
    }

    @Test(arguments: [
        "2026-12-24T25:00:00Z",  // hour 25
        "2026-12-24T09:60:00Z",  // minute 60
        "2026-12-31T23:59:60Z",  // leap second
        "2026-02-30T09:00:00Z",  // 30 February
        "2025-02-29T09:00:00Z",  // 29 February outside a leap year
        "2100-02-29T09:00:00Z",  // a century that is not a leap year
        "2026-04-31T09:00:00Z",  // 31 April
        "2026-13-01T09:00:00Z",  // month 13
        "2026-00-10T09:00:00Z",  // month 0
        "2026-12-00T09:00:00Z",  // day 0
        "2026-12-24T09:00:00+0100",  // offset without a colon
        "2026-12-24T09:00:00+24:00",  // offset hour 24
        "2026-12-24T09:00:00+01:60",  // offset minute 60
        "2026-12-24T09:00:00",  // no offset
        "10000-01-01T00:00:00Z",  // five-digit year
        "26-12-24T09:00:00Z",  // two-digit year
        "2026-12-24 09:00:00Z",  // space for T
        "2026-12-24T9:00:00Z",  // one-digit hour
        "2026-12-24T09:00:00.Z",  // empty fraction
        "2026-12-24T09:00:00.1234567890Z",  // ten fraction digits
        "2026-12-24T09:00:00Z ",  // trailing space
        "2026-12-24",  // date only
        "",
    ])
    func invalidInstantRejected(text: String) {
        #expect(RFC3339.parse(text) == nil)
    }
}
