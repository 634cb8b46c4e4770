import Foundation
import Infobip
import Testing

@Suite struct InfobipTimestampTests {
    @Test(arguments: [
        ("2019-11-09T16:00:00.000+0000", 1_573_315_200_000),
        ("2019-11-09T16:00:00+0000", 1_573_315_200_000),
        ("2019-11-09T16:00:00.000+00:00", 1_573_315_200_000),
        ("2019-04-09T16:01:56.494-0300", 1_554_836_516_494),
        ("2019-04-09T16:01:56.494-03:00", 1_554_836_516_494),
        ("2019-04-09T13:01:56.494-06", 1_554_836_516_494),
        ("2022-02-18T08:12:26.422Z", 1_645_171_946_422),
        ("2022-02-18T08:12:26Z", 1_645_171_946_000),
        ("2026-03-03T14:22:35.000+0100", 1_772_544_155_000),
        ("2024-02-29T23:59:59.5+0000", 1_709_251_199_500),
        ("2019-11-09T16:00:00.123456789+0000", 1_573_315_200_123),
        ("2019-11-09 16:00:00.000+0000", 1_573_315_200_000),
    ])
    func parsesToRightInstant(text: String, milliseconds: Int64) {
        #expect(TestValues.milliseconds(InfobipTimestamp.parse(text)) == milliseconds)
    }

    @Test(arguments: [
        "", "2019-11-09", "2019-11-09T16:00:00", "2019-11-09T16:00:00.000",
        "2019-02-29T00:00:00Z", "2019-13-01T00:00:00Z", "2019-11-09T24:00:00Z",
        "2019-11-09T16:00:00.Z", "2019-11-09T16:00:00+19:00", "2019-11-09T16:00:00+0000 ",
        "19-11-09T16:00:00Z",
    ])
    func rejectsMalformedText(text: String) {
        #expect(InfobipTimestamp.parse(text) == nil)
    }

    @Test func formatsInUTCWithMilliseconds() {
        let date = Date(timeIntervalSince1970: 1_554_836_516.494)
        #expect(InfobipTimestamp.format(date) == "2019-04-09T19:01:56.494+0000")
        #expect(
            InfobipTimestamp.format(Date(timeIntervalSince1970: 0))
                == "1970-01-01T00:00:00.000+0000"
        )
    }

    @Test func formatsInstantsBefore1970() {
        let date = Date(timeIntervalSince1970: -0.5)
        #expect(InfobipTimestamp.format(date) == "1969-12-31T23:59:59.500+0000")
    }

    @Test func formatThenParseRoundTrips() throws {
        let date = Date(timeIntervalSince1970: 1_735_726_200.007)
        let parsed = try #require(InfobipTimestamp.parse(InfobipTimestamp.format(date)))
        #expect(TestValues.milliseconds(parsed) == 1_735_726_200_007)
    }
}
