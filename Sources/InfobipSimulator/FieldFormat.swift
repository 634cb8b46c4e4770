import Foundation

/// Syntax checks of single text fields, with the message Infobip's validation gives for each.
enum FieldFormat {
    static let templateNameMessage = "must match \"^[a-z0-9_]{1,512}$\""

    /// Infobip's example message for a header placeholder that WhatsApp would refuse.
    static let headerPlaceholderMessage =
        "cannot have new-line/tab characters or more than 4 consecutive spaces"

    /// Returns whether `name` is 1 to 512 lowercase ASCII letters, digits and underscores.
    static func isTemplateName(_ name: String) -> Bool {
        (1...512).contains(name.utf8.count)
            && name.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || byte == UInt8(ascii: "_")
            }
    }

    /// Returns whether a text header placeholder is free of new-lines, tabs and runs of more
    /// than four spaces.
    static func isHeaderPlaceholder(_ text: String) -> Bool {
        !text.contains { $0 == "\n" || $0 == "\r" || $0 == "\t" } && !text.contains("     ")
    }

    /// Returns whether `text` is an absolute http or https URL with a host.
    static func isWebURL(_ text: String) -> Bool {
        guard let components = URLComponents(string: text),
            let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty
        else { return false }
        return true
    }

    /// Returns whether `text` is an ISO 8601 date-time, with or without fractional seconds.
    static func isDateTime(_ text: String) -> Bool {
        let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        let withoutFraction = Date.ISO8601FormatStyle()
        return (try? withFraction.parse(text)) != nil || (try? withoutFraction.parse(text)) != nil
    }
}
