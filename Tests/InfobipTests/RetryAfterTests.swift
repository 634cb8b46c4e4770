import Foundation
import Infobip
import Testing

@Suite struct RetryAfterTests {
    /// 1994-11-06T08:49:37Z, the date in RFC 9110's examples.
    private let rfcExampleDate = Date(timeIntervalSince1970: 784_111_777)

    @Test func deltaSecondsParse() {
        #expect(RetryAfter.parse("120") == .seconds(120))
        #expect(RetryAfter.parse(" 0 ") == .zero)
    }

    @Test(arguments: [
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
    ])
    func httpDateFormsParse(value: String) {
        let now = rfcExampleDate.addingTimeInterval(-30)
        #expect(RetryAfter.parse(value, now: now) == .seconds(30))
    }

    @Test func pastDateGivesZeroDelay() {
        let now = rfcExampleDate.addingTimeInterval(60)
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", now: now) == .zero)
    }

    @Test(arguments: [
        "", "soon", "-5", "1.5", "Sun, 32 Nov 1994 08:49:37 GMT", "99999999999999999999",
    ])
    func invalidValuesGiveNil(value: String) {
        #expect(RetryAfter.parse(value) == nil)
    }

    @Test func headerNameIsCaseInsensitive() {
        #expect(RetryAfter.value(in: ["retry-after": "7"]) == "7")
        #expect(RetryAfter.value(in: ["Retry-After": "8"]) == "8")
        #expect(RetryAfter.value(in: ["Content-Type": "application/json"]) == nil)
    }
}
