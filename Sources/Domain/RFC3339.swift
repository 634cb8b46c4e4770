public import Foundation

/// An instant written as an RFC 3339 `date-time`, such as `2026-12-24T09:00:00Z` or
/// `2026-12-24T09:00:00.250-03:00`.
///
/// `ISO8601FormatStyle` accepts text that is not a real time, such as hour 25 or 30 February,
/// by rolling it over into the next day or month, and it accepts offsets without a colon. A
/// client that sends such a value has made a mistake that would move its schedule silently, so
/// the parser checks the grammar and every field's range itself.
public enum RFC3339 {
    /// Parses `text`, or returns nil when it is not an RFC 3339 `date-time`.
    ///
    /// The year has exactly four digits, the fraction of a second has 1 to 9 digits, and the
    /// offset is `Z` or `±hh:mm`. `T` and `Z` may be lowercase, as RFC 3339 allows. A leap second
    /// (`:60`) is rejected, because `Date` cannot hold it.
    public static func parse(_ text: String) -> Date? {
        var scanner = Scanner(Array(text.utf8))
        guard let year = scanner.digits(4), scanner.skip("-"),
            let month = scanner.digits(2), scanner.skip("-"),
            let day = scanner.digits(2), scanner.skip("T") || scanner.skip("t"),
            let hour = scanner.digits(2), scanner.skip(":"),
            let minute = scanner.digits(2), scanner.skip(":"),
            let second = scanner.digits(2)
        else { return nil }
        var nanoseconds = 0
        if scanner.skip(".") {
            guard let fraction = scanner.fraction() else { return nil }
            nanoseconds = fraction
        }
        guard let offsetSeconds = scanner.offset(), scanner.isAtEnd else { return nil }
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
            (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second)
        else { return nil }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offsetSeconds
        return Date(
            timeIntervalSince1970: Double(seconds) + Double(nanoseconds) / 1_000_000_000
        )
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2:
            let isLeap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            return isLeap ? 29 : 28
        case 4, 6, 9, 11:
            return 30
        default:
            return 31
        }
    }

    /// Returns the days from 1970-01-01 to the given day of the proleptic Gregorian calendar
    /// (Howard Hinnant's `days_from_civil`).
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Reads ASCII fields from the front of a byte array.
    private struct Scanner {
        let bytes: [UInt8]
        var position = 0

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
        }

        var isAtEnd: Bool { position == bytes.count }

        /// Consumes `character` when it comes next, and returns whether it did.
        mutating func skip(_ character: Unicode.Scalar) -> Bool {
            guard position < bytes.count, bytes[position] == UInt8(ascii: character) else {
                return false
            }
            position += 1
            return true
        }

        /// Reads exactly `count` decimal digits as a number.
        mutating func digits(_ count: Int) -> Int? {
            guard position + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[position..<position + count] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            position += count
            return value
        }

        /// Reads 1 to 9 digits after the decimal point as nanoseconds.
        mutating func fraction() -> Int? {
            var value = 0
            var count = 0
            while position < bytes.count,
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position])
            {
                guard count < 9 else { return nil }
                value = value * 10 + Int(bytes[position] - UInt8(ascii: "0"))
                count += 1
                position += 1
            }
            guard count > 0 else { return nil }
            for _ in count..<9 {
                value *= 10
            }
            return value
        }

        /// Reads `Z` or `±hh:mm` and returns the offset east of UTC in seconds.
        mutating func offset() -> Int? {
            if skip("Z") || skip("z") {
                return 0
            }
            let sign: Int
            if skip("+") {
                sign = 1
            } else if skip("-") {
                sign = -1
            } else {
                return nil
            }
            guard let hours = digits(2), skip(":"), let minutes = digits(2),
                (0...23).contains(hours), (0...59).contains(minutes)
            else { return nil }
            return sign * (hours * 3_600 + minutes * 60)
        }
    }
}
