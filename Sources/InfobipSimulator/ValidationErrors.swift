import Foundation

/// Field errors of one request, keyed by JSON path such as
/// `messages[0].content.templateData.body.placeholders`, in the order they were found.
///
/// The messages follow the wording of Java Bean Validation, which Infobip's own examples use
/// (`size must be between 1 and 240`, `must not be blank`).
struct ValidationErrors: Error, Sendable {
    private(set) var paths: [String] = []
    private(set) var messages: [String: [String]] = [:]

    var isEmpty: Bool { paths.isEmpty }

    /// The `validationErrors` member of a legacy error body.
    var json: JSONValue {
        .object(messages.mapValues { .array($0.map(JSONValue.string)) })
    }

    mutating func add(_ path: String, _ message: String) {
        if messages[path] == nil {
            paths.append(path)
        }
        messages[path, default: []].append(message)
    }

    // MARK: - Field rules shared by the request validators

    /// Checks a required string that contains a non-whitespace character and, when `length` is
    /// given, has that many UTF-16 code units (Java's string length). Returns it when a string.
    @discardableResult
    mutating func requireString(
        _ value: JSONValue?,
        at path: String,
        length: ClosedRange<Int>? = nil
    ) -> String? {
        guard let value, !value.isNull else {
            add(path, "must not be null")
            return nil
        }
        guard let text = value.stringValue else {
            add(path, "must be a string")
            return nil
        }
        if let length {
            checkLength(text, at: path, length: length)
        }
        // Same test as trimming `whitespacesAndNewlines` to empty, without the NSString
        // bridge that trimming costs.
        if text.unicodeScalars.allSatisfy(CharacterSet.whitespacesAndNewlines.contains) {
            add(path, "must not be blank")
        }
        return text
    }

    /// Checks an optional string of `length` UTF-16 code units. Returns it when present.
    @discardableResult
    mutating func optionalString(
        _ value: JSONValue?,
        at path: String,
        length: ClosedRange<Int>
    ) -> String? {
        guard let value, !value.isNull else { return nil }
        guard let text = value.stringValue else {
            add(path, "must be a string")
            return nil
        }
        checkLength(text, at: path, length: length)
        return text
    }

    /// Checks a required member that must be one of `allowed`. Returns it when it is.
    @discardableResult
    mutating func requireEnum(
        _ value: JSONValue?,
        at path: String,
        allowed: [String]
    ) -> String? {
        guard let value, !value.isNull else {
            add(path, "must not be null")
            return nil
        }
        guard let text = value.stringValue, allowed.contains(text) else {
            add(path, "must be one of \(allowed.joined(separator: ", "))")
            return nil
        }
        return text
    }

    /// Checks an optional member that must be one of `allowed` when present.
    mutating func optionalEnum(_ value: JSONValue?, at path: String, allowed: [String]) {
        guard let value, !value.isNull else { return }
        requireEnum(value, at: path, allowed: allowed)
    }

    /// Checks a required JSON object and returns its members.
    mutating func requireObject(_ value: JSONValue?, at path: String) -> [String: JSONValue]? {
        guard let value, !value.isNull else {
            add(path, "must not be null")
            return nil
        }
        guard let members = value.objectValue else {
            add(path, "must be an object")
            return nil
        }
        return members
    }

    /// Checks an optional JSON object and returns its members when present.
    mutating func optionalObject(_ value: JSONValue?, at path: String) -> [String: JSONValue]? {
        guard let value, !value.isNull else { return nil }
        return requireObject(value, at: path)
    }

    /// Checks a required JSON array and returns its elements.
    mutating func requireArray(_ value: JSONValue?, at path: String) -> [JSONValue]? {
        guard let value, !value.isNull else {
            add(path, "must not be null")
            return nil
        }
        guard let elements = value.arrayValue else {
            add(path, "must be an array")
            return nil
        }
        return elements
    }

    /// Checks an optional JSON array and returns its elements when present.
    mutating func optionalArray(_ value: JSONValue?, at path: String) -> [JSONValue]? {
        guard let value, !value.isNull else { return nil }
        return requireArray(value, at: path)
    }

    /// Checks that an array has `count` elements.
    mutating func checkCount(_ elements: [JSONValue], at path: String, count: ClosedRange<Int>) {
        if !count.contains(elements.count) {
            add(path, "size must be between \(count.lowerBound) and \(count.upperBound)")
        }
    }

    /// Checks a required number within `range` and returns it.
    @discardableResult
    mutating func requireNumber(
        _ value: JSONValue?,
        at path: String,
        range: ClosedRange<Double>
    ) -> Double? {
        guard let value, !value.isNull else {
            add(path, "must not be null")
            return nil
        }
        guard let number = value.doubleValue else {
            add(path, "must be a number")
            return nil
        }
        checkRange(number, at: path, range: range)
        return number
    }

    /// Checks an optional integer within `range`.
    mutating func optionalInteger(_ value: JSONValue?, at path: String, range: ClosedRange<Int>) {
        guard let value, !value.isNull else { return }
        guard let integer = value.intValue else {
            add(path, "must be an integer")
            return
        }
        checkRange(
            Double(integer),
            at: path,
            range: Double(range.lowerBound)...Double(range.upperBound)
        )
    }

    /// Checks an optional boolean.
    mutating func optionalBool(_ value: JSONValue?, at path: String) {
        guard let value, !value.isNull else { return }
        if value.boolValue == nil {
            add(path, "must be a boolean")
        }
    }

    private mutating func checkLength(_ text: String, at path: String, length: ClosedRange<Int>) {
        if !length.contains(text.utf16.count) {
            add(path, "size must be between \(length.lowerBound) and \(length.upperBound)")
        }
    }

    private mutating func checkRange(_ number: Double, at path: String, range: ClosedRange<Double>)
    {
        if number < range.lowerBound {
            add(path, "must be greater than or equal to \(Self.format(range.lowerBound))")
        }
        if number > range.upperBound {
            add(path, "must be less than or equal to \(Self.format(range.upperBound))")
        }
    }

    private static func format(_ bound: Double) -> String {
        bound.rounded() == bound ? String(Int(bound)) : String(bound)
    }
}
