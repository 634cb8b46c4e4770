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
    /// - Throws: a 400 ``Problem`` of type `malformed-json` when the body is not JSON.
    public static func parse(_ data: Data) throws(Problem) -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw Problem(
                .malformedJSON,
                status: 400,
                title: "Malformed JSON",
                detail: "The request body is not valid JSON. Send a JSON object with "
                    + "Content-Type: application/json."
            )
        }
    }

    /// Returns the value as compact JSON with sorted keys.
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data("null".utf8)
    }

    /// Returns the path of the first string or member name that contains U+0000 (NUL), or `nil`
    /// when there is none.
    ///
    /// PostgreSQL cannot store U+0000, because `text` rejects it in a bound parameter and
    /// `jsonb` rejects the `\u0000` escape. Paths read like `params.body[0]`, and a NUL inside a
    /// member name is shown as `\u0000`.
    func pathOfNULCharacter(at path: String = "") -> String? {
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
        unicodeScalars.contains("\u{0}")
    }

    /// Returns the text with every U+0000 (NUL) replaced by U+FFFD, which PostgreSQL can store.
    func replacingNULCharacters() -> String {
        let scalars = unicodeScalars.map { $0 == "\u{0}" ? "\u{FFFD}" : $0 }
        return String(String.UnicodeScalarView(scalars))
    }
}
