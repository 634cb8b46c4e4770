public import Foundation

/// A parsed JSON value that keeps the difference between booleans and numbers.
public enum JSONValue: Sendable, Equatable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value):
            if value.rounded() == value, abs(value) < 1e15 {
                try container.encode(Int64(value))
            } else {
                try container.encode(value)
            }
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// Parses a request body.
    ///
    /// - Throws: a 400 ``Problem`` of type `malformed-json` when the body is not JSON, or when
    ///   an object has the same member name twice. `JSONDecoder` keeps one of the two values
    ///   silently, so the body is scanned for repeated names after it parsed.
    public static func parse(_ data: Data) throws(Problem) -> JSONValue {
        // JSONDecoder would do, but decoding this enum through Codable throws and catches a
        // type mismatch for every value whose type it guesses wrong, which profiles of
        // webhook traffic showed as most of the instance's CPU. RFC 8259 requires UTF-8, which
        // the byte parser enforces.
        let value: JSONValue
        do {
            var remaining: Data? = data
            var parser = JSONStreamParser {
                defer { remaining = nil }
                return remaining
            }
            value = try parser.readValue()
            try parser.finish()
        } catch {
            throw Problem(
                .malformedJSON,
                status: 400,
                title: "Malformed JSON",
                detail: "The request body is not valid JSON. Send a JSON object with "
                    + "Content-Type: application/json."
            )
        }
        if let path = DuplicateMemberScanner.firstDuplicatePath(in: data) {
            throw Problem(
                .malformedJSON,
                status: 400,
                title: "Malformed JSON",
                detail: "\(path) appears twice in the same object. Send each member once.",
                field: path
            )
        }
        return value
    }

    /// Returns the value as compact JSON with sorted keys.
    public func encoded() -> Data {
        Data(compactText.utf8)
    }

    /// Returns the path of the first string or member name that contains U+0000 (NUL), or `nil`
    /// when there is none.
    ///
    /// PostgreSQL cannot store U+0000, because `text` rejects it in a bound parameter and
    /// `jsonb` rejects the `\u0000` escape. Paths read like `params.body[0]`, and a NUL inside a
    /// member name is shown as `\u0000`.
    func pathOfNULCharacter(at path: String = "") -> String? {
        // Paths cost string work per member, so they are built only once a NUL is known to be
        // somewhere; almost every value has none.
        guard containsNULCharacter else { return nil }
        switch self {
        case .null, .bool, .number:
            return nil
        case .string(let text):
            return text.containsNULCharacter ? path : nil
        case .array(let values):
            for (index, value) in values.enumerated() {
                if let found = value.pathOfNULCharacter(at: "\(path)[\(index)]") {
                    return found
                }
            }
            return nil
        case .object(let members):
            for key in members.keys.sorted() {
                let visibleKey = key.replacingOccurrences(of: "\u{0}", with: "\\u0000")
                let memberPath = path.isEmpty ? visibleKey : "\(path).\(visibleKey)"
                if key.containsNULCharacter {
                    return memberPath
                }
                if let found = members[key]?.pathOfNULCharacter(at: memberPath) {
                    return found
                }
            }
            return nil
        }
    }

    /// Whether a string or member name anywhere in the value contains U+0000.
    var containsNULCharacter: Bool {
        switch self {
        case .null, .bool, .number:
            false
        case .string(let text):
            text.containsNULCharacter
        case .array(let values):
            values.contains { $0.containsNULCharacter }
        case .object(let members):
            members.contains { $0.key.containsNULCharacter || $0.value.containsNULCharacter }
        }
    }

    /// Returns the value with every U+0000 in strings and member names replaced by U+FFFD,
    /// the Unicode replacement character, so PostgreSQL can store it.
    func replacingNULCharacters() -> JSONValue {
        switch self {
        case .null, .bool, .number:
            return self
        case .string(let text):
            return .string(text.replacingNULCharacters())
        case .array(let values):
            return .array(values.map { $0.replacingNULCharacters() })
        case .object(let members):
            var replaced: [String: JSONValue] = [:]
            for (key, value) in members {
                replaced[key.replacingNULCharacters()] = value.replacingNULCharacters()
            }
            return .object(replaced)
        }
    }

    /// The JSON type's name, for error messages.
    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

extension String {
    var containsNULCharacter: Bool {
        utf8.contains(0)
    }

    /// Returns the text with every U+0000 (NUL) replaced by U+FFFD, which PostgreSQL can store.
    func replacingNULCharacters() -> String {
        let scalars = unicodeScalars.map { $0 == "\u{0}" ? "\u{FFFD}" : $0 }
        return String(String.UnicodeScalarView(scalars))
    }
}

/// Finds the first member name that repeats within one object of a JSON document.
///
/// The scanner relies on `JSONDecoder` having accepted the document, so it follows only
/// strings, brackets and commas. Names are compared after their escapes are decoded,
/// so `"a"` and `"\u0061"` are the same name. It never traps, even on input that is not JSON.
private enum DuplicateMemberScanner {
    private enum Frame {
        case object(names: Set<String>, expectsName: Bool, current: String?)
        case array(index: Int)
    }

    /// Returns the path of the repeated member, such as `params.header.type`, or `nil`.
    static func firstDuplicatePath(in data: Data) -> String? {
        guard let bytes = utf8Bytes(data) else { return nil }
        var stack: [Frame] = []
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "{"):
                stack.append(.object(names: [], expectsName: true, current: nil))
            case UInt8(ascii: "["):
                stack.append(.array(index: 0))
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                _ = stack.popLast()
            case UInt8(ascii: ","):
                switch stack.last {
                case .object(let names, _, _):
                    stack[stack.count - 1] = .object(names: names, expectsName: true, current: nil)
                case .array(let position):
                    stack[stack.count - 1] = .array(index: position + 1)
                case nil:
                    break
                }
            case UInt8(ascii: "\""):
                let end = endOfString(bytes, openingQuote: index)
                guard end < bytes.count else { return nil }
                if case .object(var names, true, _) = stack.last {
                    let name = decodedString(bytes[index...end])
                    guard names.insert(name).inserted else {
                        return path(stack, appending: name)
                    }
                    stack[stack.count - 1] = .object(
                        names: names,
                        expectsName: false,
                        current: name
                    )
                }
                index = end
            default:
                break
            }
            index += 1
        }
        return nil
    }

    /// Returns the document's bytes in UTF-8, or `nil` when its encoding is not recognised.
    ///
    /// `JSONDecoder` also accepts UTF-16 and UTF-32. Their text has a zero byte among its first
    /// four, which UTF-8 JSON never has, and the position of the zeros or a byte order mark
    /// gives the encoding (RFC 4627, section 3).
    private static func utf8Bytes(_ data: Data) -> [UInt8]? {
        let head = [UInt8](data.prefix(4))
        guard head.count == 4, head.contains(0) else { return [UInt8](data) }
        let encoding: String.Encoding
        switch (head[0], head[1], head[2], head[3]) {
        case (0, 0, 0xFE, 0xFF), (0xFF, 0xFE, 0, 0): encoding = .utf32
        case (0xFE, 0xFF, _, _), (0xFF, 0xFE, _, _): encoding = .utf16
        case (0, 0, _, _): encoding = .utf32BigEndian
        case (0, _, _, _): encoding = .utf16BigEndian
        case (_, 0, 0, 0): encoding = .utf32LittleEndian
        default: encoding = .utf16LittleEndian
        }
        return String(data: data, encoding: encoding).map { [UInt8]($0.utf8) }
    }

    /// Returns the index of the quote that closes the string opened at `openingQuote`.
    private static func endOfString(_ bytes: [UInt8], openingQuote: Int) -> Int {
        var index = openingQuote + 1
        while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
            index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
        }
        return index
    }

    private static func decodedString(_ quoted: ArraySlice<UInt8>) -> String {
        let raw = String(decoding: quoted.dropFirst().dropLast(), as: UTF8.self)
        guard quoted.contains(UInt8(ascii: "\\")) else { return raw }
        return (try? JSONDecoder().decode(String.self, from: Data(quoted))) ?? raw
    }

    private static func path(_ stack: [Frame], appending name: String) -> String {
        var path = ""
        for frame in stack.dropLast() {
            switch frame {
            case .object(_, _, let current?):
                path += path.isEmpty ? current : ".\(current)"
            case .array(let position):
                path += "[\(position)]"
            case .object(_, _, nil):
                break
            }
        }
        return path.isEmpty ? name : "\(path).\(name)"
    }
}
