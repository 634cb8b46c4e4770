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
    ///   an object has the same member name twice, with that member's path as its `field`.
    public static func parse(_ data: Data) throws(Problem) -> JSONValue {
        // JSONDecoder would do, but decoding this enum through Codable throws and catches a
        // type mismatch for every value whose type it guesses wrong, which profiles of
        // webhook traffic showed as most of the instance's CPU. It would also keep one value
        // of a repeated member name silently. RFC 8259 requires UTF-8, which the byte parser
        // enforces.
        do {
            var remaining: Data? = data
            var parser = JSONStreamParser {
                defer { remaining = nil }
                return remaining
            }
            let value = try parser.readValue()
            try parser.finish()
            return value
        } catch {
            if error.cause == .duplicateMember, let path = error.path {
                throw Problem.duplicateMember(path)
            }
            throw Problem.malformedJSON(error)
        }
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

extension Problem {
    /// Returns the 400 problem for a body that is not JSON, with where and why parsing failed.
    static func malformedJSON(_ error: JSONStreamError) -> Problem {
        Problem(
            .malformedJSON,
            status: 400,
            title: "Malformed JSON",
            detail: "The request body is not valid JSON: \(error.reason) at byte "
                + "\(error.offset). Send a JSON object with Content-Type: application/json."
        )
    }

    /// Returns the 400 problem for a body whose object at `path` repeats its member name.
    static func duplicateMember(_ path: String) -> Problem {
        Problem(
            .malformedJSON,
            status: 400,
            title: "Malformed JSON",
            detail: "\(path) appears twice in the same object. Send each member once.",
            field: path
        )
    }
}
