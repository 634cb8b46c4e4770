public import Foundation

/// The HTTP `Retry-After` header (RFC 9110, section 10.2.3).
///
/// Infobip's API reference defines no response headers, so whether its 429 responses carry
/// `Retry-After` is not documented, so the client reads it when present.
public enum RetryAfter {
    /// Parses a header value into a delay from `now`, or returns nil when it is invalid.
    ///
    /// The value is either delta-seconds (`120`) or an HTTP-date in the IMF-fixdate form
    /// (`Sun, 06 Nov 1994 08:49:37 GMT`), or in one of the obsolete RFC 850
    /// (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`) forms. A
    /// date in the past gives a zero delay.
    public static func parse(_ value: String, now: Date = Date()) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        if trimmed.utf8.allSatisfy({ (48...57).contains($0) }) {
            guard let seconds = Int64(trimmed) else { return nil }
            return .seconds(seconds)
        }
        guard let date = parseHTTPDate(trimmed) else { return nil }
        let delay = date.timeIntervalSince(now)
        return delay > 0 ? .milliseconds(Int64((delay * 1000).rounded(.up))) : .zero
    }

    /// Finds the `Retry-After` value in headers whose names may use any letter case.
    public static func value(in headers: [String: String]) -> String? {
        headers.first { $0.key.lowercased() == "retry-after" }?.value
    }

    /// Parses the three HTTP-date forms of RFC 9110, section 5.6.7.
    static func parseHTTPDate(_ text: String) -> Date? {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "-" }).map(String.init)
        var day: Int?
        var monthName: String?
        var year: Int?
        var time: String?

        if fields.count == 6, fields[0].hasSuffix(","), fields[5] == "GMT" {
            // IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT" or, once split at "-",
            // RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT".
            day = Int(fields[1])
            monthName = fields[2]
            time = fields[4]
            if let value = Int(fields[3]) {
                year = fields[3].count == 2 ? twoDigitYear(value) : value
            }
        } else if fields.count == 5, !fields[0].hasSuffix(",") {
            // asctime "Sun Nov  6 08:49:37 1994". Splitting drops the double space.
            monthName = fields[1]
            day = Int(fields[2])
            time = fields[3]
            year = Int(fields[4])
        }

        guard let day, let monthName, let year, let time,
            let month = months.firstIndex(of: monthName).map({ $0 + 1 })
        else { return nil }
        let clock = time.split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3,
            let seconds = CivilTime.secondsSince1970(
                year: year,
                month: month,
                day: day,
                hour: clock[0],
                minute: clock[1],
                second: clock[2]
            )
        else { return nil }
        return Date(timeIntervalSince1970: Double(seconds))
    }

    private static let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    /// RFC 850 two-digit years: RFC 9110 reads a year more than 50 years ahead as the past
    /// century. This uses a fixed pivot at 70, which agrees for dates between 1970 and 2069.
    private static func twoDigitYear(_ value: Int) -> Int {
        value >= 70 ? 1900 + value : 2000 + value
    }
}
