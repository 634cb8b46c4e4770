/// A WhatsApp number in E.164 form, stored as digits only with its country code (`5511987654321`).
public struct PhoneNumber: Sendable, Hashable, CustomStringConvertible {
    /// Country code and subscriber number, digits only, without `+` or `00`.
    public let digits: String

    public var description: String { digits }

    /// Normalises a number typed by a person or a CRM.
    ///
    /// `+`, spaces, dashes, dots and brackets are removed, and a leading `00` (the international
    /// prefix used in most of the world) is read as `+`. What remains must be 8 to 15 digits
    /// (E.164 allows at most 15) starting with a country calling code. A number that starts with
    /// `0` after that is in national format, with a trunk prefix instead of a country code, and is
    /// rejected, because WhatsApp would otherwise prefix the sender's own country code and may
    /// reach the wrong person.
    ///
    /// The country code must be an assigned one (``CountryCallingCode``), and the digits after it
    /// must have a length that its numbering plan uses. Digits alone are accepted, so the form
    /// the API returns (`447700900100`) reads back. A national number typed without its country
    /// code is rejected where its length does not fit: the British `7700 900300` reads as
    /// country code 7 with 9 more digits, and numbers of code 7 have 10.
    public init(parsing text: String) throws(PhoneNumberError) {
        var compact = ""
        for character in text where !" -.()\t".contains(character) {
            compact.append(character)
        }
        if compact.hasPrefix("+") {
            compact.removeFirst()
        } else if compact.hasPrefix("00") {
            compact.removeFirst(2)
        }
        guard !compact.isEmpty else { throw .empty }
        guard compact.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw .invalidCharacters(text)
        }
        guard !compact.hasPrefix("0") else { throw .missingCountryCode(text) }
        guard (8...15).contains(compact.count) else { throw .invalidLength(text) }
        try Self.checkNorthAmericanPlan(compact, original: text)
        guard let country = CountryCallingCode.matching(compact) else {
            throw .unknownCountryCode(text)
        }
        let nationalLength = compact.count - country.code.count
        guard country.nationalNumberLengths.contains(nationalLength) else {
            throw .invalidNationalNumberLength(
                text,
                countryCode: country.code,
                length: nationalLength,
                expected: country.nationalNumberLengths
            )
        }
        self.digits = compact
    }

    /// Applies the North American plan, which catches a national number typed without its
    /// country code.
    ///
    /// In the North American plan (`1`) numbers have 11 digits, the area code never starts with
    /// 0 or 1, and area codes with 9 in the middle (N9X) are reserved, so a Brazilian mobile
    /// such as `11 98765-4321` or `19 99876-5432` typed without `55` does not pass as American.
    private static func checkNorthAmericanPlan(
        _ digits: String,
        original: String
    ) throws(PhoneNumberError) {
        guard digits.hasPrefix("1") else { return }
        let areaCode = Array(digits.dropFirst().prefix(3))
        guard digits.count == 11, ("2"..."9").contains(areaCode[0]), areaCode[1] != "9"
        else { throw .missingCountryCode(original) }
    }
}

/// Why a text is not a usable WhatsApp number.
public enum PhoneNumberError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case invalidCharacters(String)
    case missingCountryCode(String)
    /// Fewer than 8 or more than 15 digits in all.
    case invalidLength(String)
    /// The number starts with no assigned country code.
    case unknownCountryCode(String)
    /// The number of digits after the country code, `length`, is not one that the code's
    /// numbering plan uses (`expected`).
    case invalidNationalNumberLength(
        String,
        countryCode: String,
        length: Int,
        expected: ClosedRange<Int>
    )

    public var description: String {
        switch self {
        case .empty:
            "The number is empty. Send it in international format, such as +5511987654321."
        case .invalidCharacters(let text):
            "'\(text)' contains characters other than digits, '+', spaces, dashes, dots and "
                + "brackets. Send it in international format, such as +5511987654321."
        case .missingCountryCode(let text):
            "'\(text)' has no country code. Add it in front, such as +55 for Brazil or +44 for "
                + "the United Kingdom."
        case .invalidLength(let text):
            "'\(text)' has the wrong number of digits for an international number. Check the "
                + "country code and the number."
        case .unknownCountryCode(let text):
            "'\(text)' does not start with an assigned country code. Put the country code in "
                + "front, such as +55 for Brazil or +44 for the United Kingdom."
        case .invalidNationalNumberLength(let text, let countryCode, let length, let expected):
            "'\(text)' has \(length) digits after country code +\(countryCode), where numbers "
                + "have \(Self.describe(expected)). Check the number, and put its own country code "
                + "in front if it has none, such as +44 for the United Kingdom."
        }
    }

    /// Returns `10`, `9 or 10` or `8 to 10`.
    private static func describe(_ lengths: ClosedRange<Int>) -> String {
        switch lengths.count {
        case 1: "\(lengths.lowerBound)"
        case 2: "\(lengths.lowerBound) or \(lengths.upperBound)"
        default: "\(lengths.lowerBound) to \(lengths.upperBound)"
        }
    }
}
