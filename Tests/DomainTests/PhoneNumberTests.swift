import Testing

@testable import Domain

@Suite struct PhoneNumberTests {
    @Test(arguments: [
        ("+5511987654321", "5511987654321"),
        ("5511987654321", "5511987654321"),
        ("+55 11 98765 4321", "5511987654321"),
        ("+55-11-98765-4321", "5511987654321"),
        ("+55 (11) 98765-4321", "5511987654321"),
        ("55.11.98765.4321", "5511987654321"),
        ("0055 11 98765 4321", "5511987654321"),
        ("(+55) 11 98765-4321", "5511987654321"),
        ("+55\t11\t98765\t4321", "5511987654321"),
        ("+44 20 7946 0958", "442079460958"),
        ("0044 (20) 7946-0958", "442079460958"),
        ("+1 (415) 555-2671", "14155552671"),
        ("+49 30 901820", "4930901820"),
    ])
    func formattedNumberNormalisedToDigits(input: String, digits: String) throws {
        let number = try PhoneNumber(parsing: input)
        #expect(number.digits == digits)
        #expect(number.description == digits)
    }

    @Test func spellingsOfOneNumberAreEqual() throws {
        let international = try PhoneNumber(parsing: "+55 (11) 98765-4321")
        let withPrefix = try PhoneNumber(parsing: "0055.11.98765.4321")
        #expect(international == withPrefix)
        #expect(international.hashValue == withPrefix.hashValue)
    }

    @Test(arguments: [
        "011 98765-4321",
        "(011) 98765-4321",
        "020 7946 0958",
        "0 11 98765 4321",
        "+0 11 98765 4321",
        "+0044 20 7946 0958",
    ])
    func nationalNumberMissingCountryCode(input: String) {
        #expect(throws: PhoneNumberError.missingCountryCode(input)) {
            try PhoneNumber(parsing: input)
        }
    }

    /// Without 55, a Brazilian number starts with its area code. Area code 11 reads as the North
    /// American country code 1 and an area code starting with 1, which the NANP does not assign.
    /// A landline has 10 digits, where a North American number has 11.
    @Test(arguments: [
        "11 98765-4321",
        "(11) 98765-4321",
        "+11 98765 4321",
        "11 3456-7890",
        "19 3456-7890",
    ])
    func brazilianNumberWithout55Rejected(input: String) {
        #expect(throws: PhoneNumberError.missingCountryCode(input)) {
            try PhoneNumber(parsing: input)
        }
    }

    /// A Brazilian mobile number is the area code, a 9 and eight digits. Without 55, area codes
    /// 12 to 19 give 11 digits that start with 1, like a North American number. The NANP area
    /// code then has 9 as its middle digit, which the NANP reserves for expansion.
    @Test(arguments: ["12 99876-5432", "(15) 98765-4321", "19 99876-5432"])
    func saoPauloMobileWithout55Rejected(input: String) {
        #expect(throws: PhoneNumberError.missingCountryCode(input)) {
            try PhoneNumber(parsing: input)
        }
    }

    @Test(arguments: [
        "+1 123 456 7890",
        "+1 023 456 7890",
        "+1 415 555 267",
        "+1 415 555 26710",
    ])
    func invalidNorthAmericanNumberRejected(input: String) {
        #expect(throws: PhoneNumberError.missingCountryCode(input)) {
            try PhoneNumber(parsing: input)
        }
    }

    @Test(arguments: [
        "+49 1234",
        "+44 12345",
        "+4412345",
        "0044 1234",
        "+44 1234 5678 9012 34",
        "+4412345678901234",
    ])
    func numberWithWrongLengthRejected(input: String) {
        #expect(throws: PhoneNumberError.invalidLength(input)) {
            try PhoneNumber(parsing: input)
        }
    }

    /// The digits alone, as the API returns them, parse to the same number.
    @Test(arguments: [
        ("447700900100", "447700900100"),
        ("5511987654321", "5511987654321"),
        ("14155550123", "14155550123"),
        ("+7 912 345-67-89", "79123456789"),
        ("+52 1 55 1234 5678", "5215512345678"),
        ("+52 55 1234 5678", "525512345678"),
        ("+54 9 11 2345-6789", "5491123456789"),
        ("+86 138 1234 5678", "8613812345678"),
        ("+81 90-1234-5678", "819012345678"),
        ("+91 98765 43210", "919876543210"),
        ("+234 803 123 4567", "2348031234567"),
        ("+971 50 123 4567", "971501234567"),
        ("+880 1812-345678", "8801812345678"),
        ("+62 812-3456-7890", "6281234567890"),
    ])
    func internationalNumberAccepted(input: String, digits: String) throws {
        let number = try PhoneNumber(parsing: input)
        #expect(number.digits == digits)
    }

    /// A British mobile typed without 44 reads as country code 7, whose numbers have 10 digits
    /// after the code.
    @Test func nationalNumberReadAsOtherCountryRejected() {
        let expected = PhoneNumberError.invalidNationalNumberLength(
            "7700 900300",
            countryCode: "7",
            length: 9,
            expected: 10...10
        )
        #expect(throws: expected) {
            try PhoneNumber(parsing: "7700 900300")
        }
        #expect(throws: PhoneNumberError.self) {
            try PhoneNumber(parsing: "7700900300")
        }
        #expect(
            expected.description
                == "'7700 900300' has 9 digits after country code +7, where numbers have 10. "
                + "Check the number, and put its own country code in front if it has none, such "
                + "as +44 for the United Kingdom."
        )
    }

    @Test(arguments: [
        ("+55 11 9876-543", "55", 9, 10...11),
        ("+55 11 98765-43210", "55", 12, 10...11),
        ("+44 7700 9001", "44", 8, 9...10),
        ("+33 6 12 34 56 7", "33", 8, 9...9),
        ("+91 98765 432101", "91", 11, 10...10),
    ])
    func nationalLengthOutsidePlanRejected(
        input: String,
        countryCode: String,
        length: Int,
        expected: ClosedRange<Int>
    ) {
        let error = PhoneNumberError.invalidNationalNumberLength(
            input,
            countryCode: countryCode,
            length: length,
            expected: expected
        )
        #expect(throws: error) {
            try PhoneNumber(parsing: input)
        }
    }

    @Test(arguments: ["+999 1234 5678", "+28 1234 5678", "+801 234 5678", "+429 123 456 789"])
    func unassignedCountryCodeRejected(input: String) {
        #expect(throws: PhoneNumberError.unknownCountryCode(input)) {
            try PhoneNumber(parsing: input)
        }
    }

    @Test func lengthDescriptionsNameRange() {
        let two = PhoneNumberError.invalidNationalNumberLength(
            "+44 7700 9001",
            countryCode: "44",
            length: 8,
            expected: 9...10
        )
        #expect(two.description.contains("where numbers have 9 or 10."))
        let many = PhoneNumberError.invalidNationalNumberLength(
            "+20 123",
            countryCode: "20",
            length: 3,
            expected: 8...10
        )
        #expect(many.description.contains("where numbers have 8 to 10."))
    }

    @Test func unknownCodeErrorShowsExample() {
        let error = PhoneNumberError.unknownCountryCode("+999 1234 5678")
        #expect(
            error.description
                == "'+999 1234 5678' does not start with an assigned country code. Put the "
                + "country code in front, such as +55 for Brazil or +44 for the United Kingdom."
        )
    }

    @Test(arguments: [8, 15])
    func lengthBoundsAccepted(length: Int) throws {
        let digits = "4" + String(repeating: "9", count: length - 1)
        let number = try PhoneNumber(parsing: "+" + digits)
        #expect(number.digits == digits)
    }

    @Test(arguments: [12, 13])
    func brazilianLengthsAccepted(length: Int) throws {
        let digits = "5511" + String(repeating: "9", count: length - 4)
        let number = try PhoneNumber(parsing: digits)
        #expect(number.digits == digits)
    }

    @Test(arguments: [
        "+55 11 9876A-4321",
        "phone",
        "+55 11 98765_4321",
        "+55 11 98765-4321 ext 2",
        "+55/11/98765/4321",
        "++55 11 98765 4321",
        "55+11987654321",
        "+55 11 98765-4321\n",
        "+５５ １１ ９８７６５ ４３２１",
        "+٥٥١١٩٨٧٦٥٤٣٢١",
    ])
    func invalidCharactersRejected(input: String) {
        #expect(throws: PhoneNumberError.invalidCharacters(input)) {
            try PhoneNumber(parsing: input)
        }
    }

    @Test(arguments: ["", "   ", "+", "00", "( ) - .", "\t"])
    func emptyNumberRejected(input: String) {
        #expect(throws: PhoneNumberError.empty) {
            try PhoneNumber(parsing: input)
        }
    }

    @Test(arguments: [
        PhoneNumberError.invalidCharacters("+55 abc"),
        .missingCountryCode("+55 abc"),
        .invalidLength("+55 abc"),
        .unknownCountryCode("+55 abc"),
        .invalidNationalNumberLength("+55 abc", countryCode: "55", length: 3, expected: 10...11),
    ])
    func errorDescriptionQuotesInput(error: PhoneNumberError) {
        #expect(error.description.contains("'+55 abc'"))
    }

    @Test func emptyErrorShowsExample() {
        #expect(PhoneNumberError.empty.description.contains("+5511987654321"))
    }
}
