public import Foundation

/// Infobip's timestamp format, `yyyy-MM-dd'T'HH:mm:ss.SSSZ`, as in
/// `2019-04-09T16:01:56.494-0300`.
///
/// Infobip's examples write the offset as `+0000`, `-0300`, `+00:00` or `-03:00`, and some
/// endpoints use `Z`, so the parser accepts all of these.
public enum InfobipTimestamp {
    /// Parses a timestamp such as `2019-11-09T16:00:00.000+0000`, or returns nil.
    ///
    /// A `T`, `t` or space may separate date and time. The fraction of a second is optional
    /// and may have any number of digits, of which the first 9 are used. The offset is `Z`,
    /// `±HH`, `±HHMM` or `±HH:MM`, at most 18 hours. A timestamp without an offset is rejected
    /// because its instant is unknown.
    public static func parse(_ text: String) -> Date? {
        var scanner = DigitScanner(text)
        guard let year = scanner.number(digits: 4), scanner.skip("-"),
            let month = scanner.number(digits: 2), scanner.skip("-"),
            let day = scanner.number(digits: 2), scanner.skip(anyOf: "Tt "),
            let hour = scanner.number(digits: 2), scanner.skip(":"),
            let minute = scanner.number(digits: 2), scanner.skip(":"),
            let second = scanner.number(digits: 2)
        else { return nil }

        var nanoseconds = 0
        if scanner.skip(".") {
            guard let value = scanner.nanoseconds() else { return nil }
            nanoseconds = value
        }

        guard let offsetSeconds = scanner.offset(), scanner.isAtEnd,
            let localSeconds = CivilTime.secondsSince1970(
                year: year,
                month: month,
                day: day,
                hour: hour,
                minute: minute,
                second: second
            )
        else { return nil }

        let utcSeconds = localSeconds - offsetSeconds
        return Date(timeIntervalSince1970: Double(utcSeconds) + Double(nanoseconds) / 1e9)
    }

    /// Formats an instant in UTC as `yyyy-MM-dd'T'HH:mm:ss.SSS+0000`, truncated to whole
    /// milliseconds.
    public static func format(_ date: Date) -> String {
        let totalMilliseconds = Int((date.timeIntervalSince1970 * 1000).rounded(.down))
        let (totalSeconds, milliseconds) = floorDivide(totalMilliseconds, 1000)
        let (days, secondOfDay) = floorDivide(totalSeconds, 86_400)
        let (year, month, day) = CivilTime.date(days: days)
        return padded(year, 4) + "-" + padded(month, 2) + "-" + padded(day, 2) + "T"
            + padded(secondOfDay / 3600, 2) + ":" + padded(secondOfDay % 3600 / 60, 2) + ":"
            + padded(secondOfDay % 60, 2) + "." + padded(milliseconds, 3) + "+0000"
    }

    private static func floorDivide(_ value: Int, _ divisor: Int) -> (Int, Int) {
        let remainder = ((value % divisor) + divisor) % divisor
        return ((value - remainder) / divisor, remainder)
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// Reads fixed-width ASCII fields from a timestamp.
private struct DigitScanner {
    private let bytes: [UInt8]
    private var index = 0

    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    var isAtEnd: Bool { index == bytes.count }

    mutating func number(digits: Int) -> Int? {
        guard index + digits <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[index..<index + digits] {
            guard let digit = Self.digit(byte) else { return nil }
            value = value * 10 + digit
        }
        index += digits
        return value
    }

    mutating func skip(_ character: Character) -> Bool {
        skip(anyOf: String(character))
    }

    mutating func skip(anyOf characters: String) -> Bool {
        guard index < bytes.count, characters.utf8.contains(bytes[index]) else { return false }
        index += 1
        return true
    }

    /// Reads the digits after a decimal point as nanoseconds, dropping digits past the ninth.
    mutating func nanoseconds() -> Int? {
        var value = 0
        var count = 0
        while index < bytes.count, let digit = Self.digit(bytes[index]) {
            if count < 9 {
                value = value * 10 + digit
            }
            count += 1
            index += 1
        }
        guard count > 0 else { return nil }
        for _ in min(count, 9)..<9 {
            value *= 10
        }
        return value
    }

    /// Reads the UTC offset in seconds, positive east of Greenwich.
    mutating func offset() -> Int? {
        if skip(anyOf: "Zz") { return 0 }
        let sign: Int
        if skip("+") {
            sign = 1
        } else if skip("-") {
            sign = -1
        } else {
            return nil
        }
        guard let hours = number(digits: 2), hours <= 18 else { return nil }
        var minutes = 0
        if !isAtEnd {
            _ = skip(":")
            guard let value = number(digits: 2), value <= 59 else { return nil }
            minutes = value
        }
        return sign * (hours * 3600 + minutes * 60)
    }

    private static func digit(_ byte: UInt8) -> Int? {
        (48...57).contains(byte) ? Int(byte - 48) : nil
    }
}
