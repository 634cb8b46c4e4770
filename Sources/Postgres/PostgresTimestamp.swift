public import Foundation

extension Date: PostgresEncodable {
    /// ISO 8601 in UTC with microseconds, such as `2024-05-06T07:08:09.123456Z`, rounded to the
    /// nearest microsecond, which is the resolution of `timestamptz`.
    ///
    /// NOTE: `Date` stores a `Double` of seconds since 2001, which resolves whole microseconds
    /// only within about 272 years of 2001 (2^33 s). Further out, the text carries the
    /// `Double`'s rounding, which is 8 µs in the year 9999.
    ///
    /// Years before 1 AD get the server's ` BC` suffix. Dates more than 9 × 10^12 s (about
    /// 285,000 years) from 2001 become `infinity` or `-infinity`, because their microsecond count
    /// would overflow `Int64`. The server rejects nearer dates outside its range of 4713 BC to
    /// 294276 AD.
    public var postgresText: String {
        PostgresTimestamp.format(self)
    }
}

extension Date: PostgresDecodable {
    /// Reads `timestamptz` output in `DateStyle` ISO, such as `2024-05-06 07:08:09.123456+00`.
    ///
    /// Also reads any UTC offset (`+05:30`, `-03:30:15`), `Z`, a `T` separator, ` BC`,
    /// `timestamp` output without an offset (taken as UTC) and `date` output (midnight UTC).
    /// `infinity` and `-infinity` have no `Date` counterpart and throw.
    public init(postgresText: String) throws {
        self = try PostgresTimestamp.parse(postgresText)
    }
}

/// Conversion between `Date` and timestamp text, in whole microseconds on the proleptic
/// Gregorian calendar that PostgreSQL uses.
enum PostgresTimestamp {
    private static let microsecondsPerSecond: Int64 = 1_000_000
    private static let secondsPerDay: Int64 = 86_400
    /// Seconds from 1970-01-01 to 2001-01-01, the reference date of `Date`.
    private static let referenceDateOffset: Int64 = 978_307_200
    /// Beyond this many seconds from 1970 the microsecond count would overflow `Int64`.
    private static let maximumSeconds = 9_000_000_000_000.0

    static func format(_ date: Date) -> String {
        // Counting from Date's own reference date avoids a second rounding step.
        let secondsSinceReference = date.timeIntervalSinceReferenceDate
        if secondsSinceReference.isNaN {
            return "infinity"
        }
        guard secondsSinceReference.magnitude < maximumSeconds else {
            return secondsSinceReference < 0 ? "-infinity" : "infinity"
        }
        let microseconds =
            Int64((secondsSinceReference * Double(microsecondsPerSecond)).rounded())
            + referenceDateOffset * microsecondsPerSecond

        let (seconds, fraction) = floorDivide(microseconds, microsecondsPerSecond)
        let (days, secondOfDay) = floorDivide(seconds, secondsPerDay)
        let (year, month, day) = civilDate(fromDaysSince1970: days)

        let isBeforeCommonEra = year <= 0
        let displayedYear = isBeforeCommonEra ? 1 - year : year
        var text = padded(displayedYear, width: 4)
        text += "-" + padded(month, width: 2) + "-" + padded(day, width: 2)
        text += "T" + padded(secondOfDay / 3600, width: 2)
        text += ":" + padded(secondOfDay / 60 % 60, width: 2)
        text += ":" + padded(secondOfDay % 60, width: 2)
        text += "." + padded(fraction, width: 6) + "Z"
        if isBeforeCommonEra {
            text += " BC"
        }
        return text
    }

    static func parse(_ text: String) throws -> Date {
        var scanner = TextScanner(text)
        let isBeforeCommonEra = scanner.removeSuffix(" BC")
        if scanner.remainder == "infinity" || scanner.remainder == "-infinity" {
            throw PostgresError.decoding("timestamp \(scanner.remainder) has no Date value")
        }

        let year = try scanner.number(digits: 4...9, field: "year")
        try scanner.expect("-", field: "month")
        let month = try scanner.number(digits: 2...2, field: "month")
        try scanner.expect("-", field: "day")
        let day = try scanner.number(digits: 2...2, field: "day")
        guard (1...12).contains(month),
            (1...daysInMonth(year, month, isBeforeCommonEra)).contains(day)
        else {
            throw PostgresError.decoding("invalid date in timestamp text")
        }

        var secondOfDay: Int64 = 0
        var fraction: Int64 = 0
        var offsetSeconds: Int64 = 0
        if !scanner.isAtEnd {
            guard scanner.consume(" ") || scanner.consume("T") else {
                throw PostgresError.decoding("invalid timestamp text after the date")
            }
            let hour = try scanner.number(digits: 2...2, field: "hour")
            try scanner.expect(":", field: "minute")
            let minute = try scanner.number(digits: 2...2, field: "minute")
            try scanner.expect(":", field: "second")
            let second = try scanner.number(digits: 2...2, field: "second")
            // The server accepts 24:00:00 and a leap second 60 and normalizes them the same way.
            guard hour <= 24, minute <= 59, second <= 60 else {
                throw PostgresError.decoding("invalid time in timestamp text")
            }
            secondOfDay = hour * 3600 + minute * 60 + second
            if scanner.consume(".") {
                fraction = try scanner.microseconds()
            }
            offsetSeconds = try scanner.utcOffset()
        }
        guard scanner.isAtEnd else {
            throw PostgresError.decoding("unexpected characters at the end of timestamp text")
        }

        let astronomicalYear = isBeforeCommonEra ? 1 - year : year
        let days = daysSince1970(year: astronomicalYear, month: month, day: day)
        let seconds = days * secondsPerDay + secondOfDay - offsetSeconds
        let microsecondsSinceReference =
            (seconds - referenceDateOffset) * microsecondsPerSecond + fraction
        return Date(
            timeIntervalSinceReferenceDate: Double(microsecondsSinceReference)
                / Double(microsecondsPerSecond)
        )
    }

    private static func padded(_ value: Int64, width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let remainder = value % divisor
        return remainder < 0
            ? (value / divisor - 1, remainder + divisor) : (value / divisor, remainder)
    }

    private static func daysInMonth(_ year: Int64, _ month: Int64, _ isBeforeCommonEra: Bool)
        -> Int64
    {
        let astronomicalYear = isBeforeCommonEra ? 1 - year : year
        let isLeap =
            astronomicalYear % 4 == 0
            && (astronomicalYear % 100 != 0 || astronomicalYear % 400 == 0)
        switch month {
        case 2: return isLeap ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Counts the days from 1970-01-01 to a proleptic Gregorian date, after Howard Hinnant's
    /// `days_from_civil` (https://howardhinnant.github.io/date_algorithms.html).
    private static func daysSince1970(year: Int64, month: Int64, day: Int64) -> Int64 {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Converts days since 1970-01-01 to a proleptic Gregorian date, the inverse of
    /// ``daysSince1970(year:month:day:)``, after Hinnant's `civil_from_days`.
    private static func civilDate(fromDaysSince1970 days: Int64) -> (Int64, Int64, Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra =
            (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}

/// Reads timestamp text from left to right.
private struct TextScanner {
    private let bytes: [UInt8]
    private var index = 0
    private var end: Int

    init(_ text: String) {
        bytes = Array(text.utf8)
        end = bytes.count
    }

    var isAtEnd: Bool { index >= end }

    var remainder: String {
        String(decoding: bytes[index..<end], as: UTF8.self)
    }

    mutating func removeSuffix(_ suffix: String) -> Bool {
        let suffixBytes = Array(suffix.utf8)
        guard end - index >= suffixBytes.count,
            Array(bytes[(end - suffixBytes.count)..<end]) == suffixBytes
        else { return false }
        end -= suffixBytes.count
        return true
    }

    mutating func consume(_ character: Character) -> Bool {
        guard !isAtEnd, let ascii = character.asciiValue, bytes[index] == ascii else {
            return false
        }
        index += 1
        return true
    }

    mutating func expect(_ character: Character, field: String) throws {
        guard consume(character) else {
            throw PostgresError.decoding("invalid timestamp text before the \(field)")
        }
    }

    mutating func number(digits: ClosedRange<Int>, field: String) throws -> Int64 {
        let start = index
        var value: Int64 = 0
        while !isAtEnd, index - start < digits.upperBound, let digit = digitValue(bytes[index]) {
            value = value * 10 + digit
            index += 1
        }
        guard digits.contains(index - start) else {
            throw PostgresError.decoding("invalid \(field) in timestamp text")
        }
        return value
    }

    /// Reads fraction digits as microseconds, rounding half up beyond the sixth digit.
    mutating func microseconds() throws -> Int64 {
        var value: Int64 = 0
        var count = 0
        var roundsUp = false
        while !isAtEnd, let digit = digitValue(bytes[index]) {
            if count < 6 {
                value = value * 10 + digit
            } else if count == 6 {
                roundsUp = digit >= 5
            }
            count += 1
            index += 1
        }
        guard count > 0 else {
            throw PostgresError.decoding("missing fraction digits in timestamp text")
        }
        for _ in count..<max(count, 6) {
            value *= 10
        }
        return value + (roundsUp ? 1 : 0)
    }

    /// Reads `Z`, `+HH`, `+HH:MM`, `+HH:MM:SS` or nothing, and returns seconds east of UTC.
    mutating func utcOffset() throws -> Int64 {
        if isAtEnd || consume("Z") {
            return 0
        }
        let sign: Int64
        if consume("+") {
            sign = 1
        } else if consume("-") {
            sign = -1
        } else {
            throw PostgresError.decoding("invalid UTC offset in timestamp text")
        }
        var seconds = try number(digits: 2...2, field: "UTC offset") * 3600
        if consume(":") {
            seconds += try number(digits: 2...2, field: "UTC offset") * 60
            if consume(":") {
                seconds += try number(digits: 2...2, field: "UTC offset")
            }
        }
        return sign * seconds
    }

    private func digitValue(_ byte: UInt8) -> Int64? {
        guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
        return Int64(byte - UInt8(ascii: "0"))
    }
}
