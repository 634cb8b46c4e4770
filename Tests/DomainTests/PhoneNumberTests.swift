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
        "+55 11 9876-543",
        "+55 11 98765-43210",
    ])
    func numberWithWrongLengthRejected(input: String) {
        #expect(throws: PhoneNumberError.invalidLength(input)) {
            try PhoneNumber(parsing: input)
        }
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
    ])
    func errorDescriptionQuotesInput(error: PhoneNumberError) {
        #expect(error.description.contains("'+55 abc'"))
    }

    @Test func emptyErrorShowsExample() {
        #expect(PhoneNumberError.empty.description.contains("+5511987654321"))
    }
}
