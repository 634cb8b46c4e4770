extension Array: PostgresEncodable where Element: PostgresEncodable {
    /// An array literal with every element's text double-quoted, such as
    /// `{"a","b,c","say \"hi\""}`, for `text[]`, `uuid[]`, `int8[]` and other array parameters.
    ///
    /// An element that is itself an array stays unquoted, so `[[String]]` becomes a
    /// two-dimensional literal. The server requires its sub-arrays to have equal lengths.
    public var postgresText: String {
        PostgresArrayText.literal(elements: self)
    }
}

extension Array: PostgresDecodable where Element: PostgresDecodable {
    /// Reads one-dimensional array output, such as `text[]` or `uuid[]`. A NULL element
    /// throws, and so does a multidimensional array.
    public init(postgresText: String) throws {
        let elements = try PostgresArrayText.parse(postgresText)
        var values: [Element] = []
        values.reserveCapacity(elements.count)
        for (offset, element) in elements.enumerated() {
            guard let element else {
                throw PostgresError.decoding(
                    "array element \(offset + 1) is NULL, which [\(Element.self)] cannot hold"
                )
            }
            values.append(try Element(postgresText: element))
        }
        self = values
    }
}

/// Marks arrays, whose text is nested unquoted inside an enclosing array literal.
private protocol NestedArrayLiteral {}

extension Array: NestedArrayLiteral {}

/// Text form of PostgreSQL arrays.
enum PostgresArrayText {
    private static let quote = UInt8(ascii: "\"")
    private static let backslash = UInt8(ascii: "\\")
    private static let comma = UInt8(ascii: ",")
    private static let openBrace = UInt8(ascii: "{")
    private static let closeBrace = UInt8(ascii: "}")

    /// Builds `{"e1","e2",...}`, escaping `"` and `\` inside each element with a backslash.
    ///
    /// Bulk statements bind arrays of thousands of elements, so the text is built from UTF-8
    /// bytes, and whether the elements are arrays themselves is checked once, not per element.
    static func literal<Element: PostgresEncodable>(elements: [Element]) -> String {
        let nested = Element.self is any NestedArrayLiteral.Type
        var bytes: [UInt8] = [openBrace]
        bytes.reserveCapacity(elements.count * 16 + 2)
        for (offset, element) in elements.enumerated() {
            if offset > 0 {
                bytes.append(comma)
            }
            var text = element.postgresText
            if nested {
                bytes.append(contentsOf: text.utf8)
                continue
            }
            bytes.append(quote)
            text.withUTF8 { utf8 in
                for byte in utf8 {
                    if byte == quote || byte == backslash {
                        bytes.append(backslash)
                    }
                    bytes.append(byte)
                }
            }
            bytes.append(quote)
        }
        bytes.append(closeBrace)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses `array_out` text of a one-dimensional array with `,` as the delimiter. An element
    /// written as unquoted `NULL` becomes nil.
    ///
    /// Accepts the `[lower:upper]=` prefix the server prints for arrays that do not start at 1.
    static func parse(_ text: String) throws -> [String?] {
        var parser = Parser(bytes: Array(text.utf8))
        return try parser.parseArray()
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        mutating func parseArray() throws -> [String?] {
            skipWhitespace()
            if peek() == UInt8(ascii: "[") {
                guard let equals = bytes[index...].firstIndex(of: UInt8(ascii: "=")) else {
                    throw PostgresError.decoding("invalid array text: bounds without '='")
                }
                index = equals + 1
            }
            guard peek() == openBrace else {
                throw PostgresError.decoding("invalid array text: expected '{'")
            }
            index += 1
            var elements: [String?] = []
            skipWhitespace()
            if peek() == closeBrace {
                index += 1
            } else {
                try parseElements(into: &elements)
            }
            skipWhitespace()
            guard index == bytes.count else {
                throw PostgresError.decoding("invalid array text: characters after '}'")
            }
            return elements
        }

        private mutating func parseElements(into elements: inout [String?]) throws {
            while true {
                skipWhitespace()
                switch peek() {
                case openBrace:
                    throw PostgresError.decoding("multidimensional arrays are not supported")
                case quote:
                    index += 1
                    elements.append(try parseQuotedElement())
                case nil:
                    throw PostgresError.decoding("invalid array text: missing '}'")
                default:
                    elements.append(try parseUnquotedElement())
                }
                skipWhitespace()
                switch peek() {
                case comma:
                    index += 1
                case closeBrace:
                    index += 1
                    return
                default:
                    throw PostgresError.decoding("invalid array text: expected ',' or '}'")
                }
            }
        }

        private mutating func parseQuotedElement() throws -> String {
            var element: [UInt8] = []
            while let byte = peek() {
                index += 1
                if byte == quote {
                    return String(decoding: element, as: UTF8.self)
                }
                if byte == backslash {
                    guard let escaped = peek() else { break }
                    element.append(escaped)
                    index += 1
                } else {
                    element.append(byte)
                }
            }
            throw PostgresError.decoding("invalid array text: unterminated quoted element")
        }

        /// Reads up to the next `,` or `}`. Whitespace around the element is not part of it
        /// unless escaped.
        private mutating func parseUnquotedElement() throws -> String? {
            var element: [UInt8] = []
            var lengthWithoutTrailingSpace = 0
            var hasEscapes = false
            while let byte = peek(), byte != comma, byte != closeBrace {
                index += 1
                if byte == backslash {
                    guard let escaped = peek() else {
                        throw PostgresError.decoding("invalid array text: trailing backslash")
                    }
                    element.append(escaped)
                    index += 1
                    hasEscapes = true
                    lengthWithoutTrailingSpace = element.count
                } else if byte == quote || byte == openBrace {
                    throw PostgresError.decoding("invalid array text: unexpected character")
                } else {
                    element.append(byte)
                    if !Self.isWhitespace(byte) {
                        lengthWithoutTrailingSpace = element.count
                    }
                }
            }
            let text = String(decoding: element.prefix(lengthWithoutTrailingSpace), as: UTF8.self)
            if !hasEscapes, text.uppercased() == "NULL" {
                return nil
            }
            return text
        }

        private func peek() -> UInt8? {
            index < bytes.count ? bytes[index] : nil
        }

        private mutating func skipWhitespace() {
            while let byte = peek(), Self.isWhitespace(byte) {
                index += 1
            }
        }

        private static func isWhitespace(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: " ") || (UInt8(ascii: "\t")...UInt8(ascii: "\r")).contains(byte)
        }
    }
}
