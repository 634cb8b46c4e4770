import Foundation

/// A JSON parser (RFC 8259) that reads UTF-8 bytes straight into ``JSONValue``.
///
/// Decoding ``JSONValue`` through `JSONDecoder` tries each type in turn and builds an error for
/// every miss, which took most of the simulator's time on a 100-message template request. This
/// parser reads each value once. Like `JSONDecoder` it accepts a scalar at the top level and
/// rejects invalid UTF-8, unpaired surrogates and numbers beyond `Double`. A member name that
/// repeats keeps its last value.
struct JSONParser {
    /// Nesting deeper than this is rejected, so a hostile body cannot exhaust the stack.
    static let maxDepth = 512

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var depth = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Parses `data` as one complete JSON value, or returns nil when it is not one.
    static func parse(_ data: Data) -> JSONValue? {
        data.withUnsafeBytes { raw in
            var parser = JSONParser(raw.bindMemory(to: UInt8.self))
            guard let value = parser.value() else { return nil }
            parser.skipWhitespace()
            // Written as a guard: in `condition ? value : nil`, `nil` would become
            // `JSONValue.null` through `ExpressibleByNilLiteral`.
            guard parser.index == parser.bytes.count else { return nil }
            return value
        }
    }

    private mutating func value() -> JSONValue? {
        skipWhitespace()
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            return object()
        case UInt8(ascii: "["):
            return array()
        case UInt8(ascii: "\""):
            return string().map(JSONValue.string)
        case UInt8(ascii: "t"):
            return literal("true", .bool(true))
        case UInt8(ascii: "f"):
            return literal("false", .bool(false))
        case UInt8(ascii: "n"):
            return literal("null", .null)
        default:
            return number()
        }
    }

    private mutating func object() -> JSONValue? {
        guard enterContainer() else { return nil }
        defer { depth -= 1 }
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if skip(UInt8(ascii: "}")) {
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\""),
                let name = string()
            else { return nil }
            skipWhitespace()
            guard skip(UInt8(ascii: ":")), let member = value() else { return nil }
            members[name] = member
            skipWhitespace()
            if skip(UInt8(ascii: "}")) {
                return .object(members)
            }
            guard skip(UInt8(ascii: ",")) else { return nil }
        }
    }

    private mutating func array() -> JSONValue? {
        guard enterContainer() else { return nil }
        defer { depth -= 1 }
        var elements: [JSONValue] = []
        skipWhitespace()
        if skip(UInt8(ascii: "]")) {
            return .array(elements)
        }
        while true {
            guard let element = value() else { return nil }
            elements.append(element)
            skipWhitespace()
            if skip(UInt8(ascii: "]")) {
                return .array(elements)
            }
            guard skip(UInt8(ascii: ",")) else { return nil }
        }
    }

    /// Steps over the opening bracket and counts one more level of nesting.
    private mutating func enterContainer() -> Bool {
        depth += 1
        index += 1
        guard depth <= Self.maxDepth else {
            depth -= 1
            return false
        }
        return true
    }

    /// Reads a string whose opening quote is at `index`.
    private mutating func string() -> String? {
        index += 1
        let start = index
        // Fast path: a string without escapes is one slice of the input.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = String(validating: bytes[start..<index], as: UTF8.self)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") {
                return escapedString(prefix: bytes[start..<index])
            }
            guard byte >= 0x20 else { return nil }
            index += 1
        }
        return nil
    }

    /// Reads the rest of a string from the first backslash at `index` on.
    private mutating func escapedString(prefix: Slice<UnsafeBufferPointer<UInt8>>) -> String? {
        var utf8 = Array(prefix)
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(validating: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let scalar = escape() else { return nil }
                utf8.append(contentsOf: String(scalar).utf8)
            case ..<0x20:
                return nil
            default:
                utf8.append(byte)
            }
        }
        return nil
    }

    /// Reads the escape after a backslash, joining a `\uD83D\uDE00` surrogate pair.
    private mutating func escape() -> Unicode.Scalar? {
        guard index < bytes.count else { return nil }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"): break
        default: return nil
        }
        guard let unit = hexQuad() else { return nil }
        switch unit {
        case 0xD800...0xDBFF:
            guard skip(UInt8(ascii: "\\")), skip(UInt8(ascii: "u")), let low = hexQuad(),
                (0xDC00...0xDFFF).contains(low)
            else { return nil }
            return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
        case 0xDC00...0xDFFF:
            return nil
        default:
            return Unicode.Scalar(unit)
        }
    }

    private mutating func hexQuad() -> UInt32? {
        guard index + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for byte in bytes[index..<index + 4] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        index += 4
        return value
    }

    /// Reads `-? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?`. A number without fraction or
    /// exponent that fits in `Int` becomes ``JSONValue/integer(_:)``.
    private mutating func number() -> JSONValue? {
        let start = index
        _ = skip(UInt8(ascii: "-"))
        if skip(UInt8(ascii: "0")) {
            // A leading zero is the whole integer part, because `01` is not JSON.
        } else if skipDigits() == 0 {
            return nil
        }
        var isInteger = true
        if skip(UInt8(ascii: ".")) {
            isInteger = false
            guard skipDigits() > 0 else { return nil }
        }
        if skip(UInt8(ascii: "e")) || skip(UInt8(ascii: "E")) {
            isInteger = false
            _ = skip(UInt8(ascii: "+")) || skip(UInt8(ascii: "-"))
            guard skipDigits() > 0 else { return nil }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isInteger, let integer = Int(text) {
            return .integer(integer)
        }
        guard let number = Double(text), number.isFinite else { return nil }
        return .number(number)
    }

    private mutating func skipDigits() -> Int {
        let start = index
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
            index += 1
        }
        return index - start
    }

    private mutating func literal(_ word: StaticString, _ value: JSONValue) -> JSONValue? {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { return nil }
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: count)
        guard bytes[index..<index + count].elementsEqual(expected) else { return nil }
        index += count
        return value
    }

    private mutating func skip(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                index += 1
            default:
                return
            }
        }
    }
}
