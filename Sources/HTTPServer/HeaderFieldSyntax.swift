/// The syntax of header fields as RFC 9110 (section 5) defines it.
enum HeaderFieldSyntax {
    /// Returns whether `name` is a `token`: one or more letters, digits or ``tokenSymbols``.
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty
            && name.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || tokenSymbols.contains(byte)
            }
    }

    /// Returns `value` without the spaces and tabs around it, which are not part of a field
    /// value (section 5.5).
    static func trimmed(_ value: String) -> String {
        let isWhitespace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = value.firstIndex(where: { !isWhitespace($0) }),
            let last = value.lastIndex(where: { !isWhitespace($0) })
        else { return "" }
        return String(value[first...last])
    }

    /// The symbols a token may contain besides letters and digits.
    private static let tokenSymbols = Set("!#$%&'*+-.^_`|~".utf8)
}
