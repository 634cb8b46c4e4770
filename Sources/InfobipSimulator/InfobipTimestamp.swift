import Foundation

/// Timestamp formats of Infobip's payloads, always in UTC.
enum InfobipTimestamp {
    /// Formats `date` as `yyyy-MM-dd'T'HH:mm:ss.SSS+0000`, the form of Infobip's reports and
    /// template responses (for example `2024-01-01T00:00:00.000+0000`).
    static func offsetForm(_ date: Date) -> String {
        format(date, zone: "+0000")
    }

    /// Formats `date` as `yyyy-MM-dd'T'HH:mm:ss.SSSZ`, the form of `lastUpdated` in the sender
    /// quality response (for example `2022-02-18T08:12:26.422Z`).
    static func zuluForm(_ date: Date) -> String {
        format(date, zone: "Z")
    }

    private static func format(_ date: Date, zone: String) -> String {
        // Whole milliseconds since the epoch, rounded down, so the seconds never read 60.
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let seconds = milliseconds.quotientAndRemainderFloored(dividingBy: 1000)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .gmt
        let whole = Date(timeIntervalSince1970: TimeInterval(seconds.quotient))
        let parts = calendar.dateComponents(
            [.year, .month, .day, .hour, .minute, .second],
            from: whole
        )
        let text = String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03d",
            parts.year ?? 0,
            parts.month ?? 0,
            parts.day ?? 0,
            parts.hour ?? 0,
            parts.minute ?? 0,
            parts.second ?? 0,
            Int(seconds.remainder)
        )
        return text + zone
    }
}

extension Int64 {
    /// Division that rounds towards negative infinity, so dates before 1970 format correctly.
    fileprivate func quotientAndRemainderFloored(
        dividingBy divisor: Int64
    ) -> (quotient: Int64, remainder: Int64) {
        var result = quotientAndRemainder(dividingBy: divisor)
        if result.remainder < 0 {
            result.quotient -= 1
            result.remainder += divisor
        }
        return result
    }
}
