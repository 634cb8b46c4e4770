import Testing

@testable import Domain

@Suite struct CountryCallingCodeTests {
    @Test(arguments: [
        ("447700900100", "44", 9...10),
        ("5511987654321", "55", 10...11),
        ("14155550123", "1", 10...10),
        ("79123456789", "7", 10...10),
        ("3531234567", "353", 7...10),
        ("8821234567", "882", 7...12),
    ])
    func codeFoundAtStart(digits: String, code: String, lengths: ClosedRange<Int>) throws {
        let match = try #require(CountryCallingCode.matching(digits))
        #expect(match.code == code)
        #expect(match.nationalNumberLengths == lengths)
    }

    @Test(arguments: ["99912345678", "2812345678", "8011234567", "429123456789", "", "44"])
    func unassignedOrTooShortNotFound(digits: String) {
        #expect(CountryCallingCode.matching(digits) == nil)
    }

    /// E.164 codes are prefix-free, which is what lets the first match win.
    @Test func noCodeStartsAnother() {
        let codes = CountryCallingCode.assigned.keys
        for code in codes {
            let longer = codes.filter { $0 != code && $0.hasPrefix(code) }
            #expect(longer.isEmpty, "\(code) starts \(longer)")
        }
    }

    @Test func everyEntryFitsE164() {
        for (code, lengths) in CountryCallingCode.assigned {
            #expect((1...3).contains(code.count), "\(code)")
            let isDigits = code.allSatisfy { $0.isASCII && $0.isNumber }
            #expect(isDigits, "\(code)")
            #expect(!code.hasPrefix("0"), "\(code)")
            #expect(lengths.lowerBound >= 1, "\(code)")
            #expect(code.count + lengths.upperBound <= 15, "\(code)")
        }
    }
}
