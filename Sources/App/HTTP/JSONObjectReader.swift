import Foundation

/// Reads the fields of a JSON object, turning every mistake into a 400 ``Problem`` that names
/// the field's full path, such as `params.body[1]`.
///
/// Creating a reader rejects an object that contains U+0000 in any string or member name, at
/// any depth, because PostgreSQL cannot store that character.
struct JSONObjectReader {
    let fields: [String: JSONValue]
    /// Path of this object inside the request body; empty at the top level.
    let path: String

    init(_ value: JSONValue, path: String = "") throws(Problem) {
        guard case .object(let fields) = value else {
            if path.isEmpty {
                throw Problem(
                    .malformedJSON,
                    status: 400,
                    title: "Malformed JSON",
                    detail: "The request body is \(value.typeName); send a JSON object."
                )
            }
            throw Problem.invalidField(path, "\(path) must be an object, not \(value.typeName).")
        }
        // Checked here, before any field is read, so a request with U+0000 anywhere in it is
        // rejected before anything is stored or sent to Infobip.
        if let nulPath = value.pathOfNULCharacter(at: path) {
            throw Problem.invalidField(
                nulPath,
                "\(nulPath) contains the NUL character (U+0000), which cannot be stored. Remove "
                    + "it from the value."
            )
        }
        self.fields = fields
        self.path = path
    }

    func fieldPath(_ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    /// Rejects members this object does not define, so a typo is never silently ignored.
    func rejectUnknownFields(allowed: Set<String>) throws(Problem) {
        for key in fields.keys.sorted() where !allowed.contains(key) {
            let known = allowed.sorted().joined(separator: ", ")
            throw Problem(
                .unknownField,
                status: 400,
                title: "Unknown field",
                detail: "\(fieldPath(key)) is not a known field. Known fields here: \(known).",
                field: fieldPath(key)
            )
        }
    }

    func optionalString(_ key: String) throws(Problem) -> String? {
        switch fields[key] {
        case nil, .null:
            return nil
        case .string(let value):
            return value
        case .some(let other):
            throw Problem.invalidField(
                fieldPath(key),
                "\(fieldPath(key)) must be a string, not \(other.typeName)."
            )
        }
    }

    /// Returns a required, non-blank string.
    func string(_ key: String, hint: String) throws(Problem) -> String {
        guard let value = try optionalString(key) else {
            throw Problem.missingField(fieldPath(key), hint: hint)
        }
        guard !value.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw Problem.invalidField(fieldPath(key), "\(fieldPath(key)) is empty. \(hint)")
        }
        return value
    }

    func optionalNumber(_ key: String) throws(Problem) -> Double? {
        switch fields[key] {
        case nil, .null:
            return nil
        case .number(let value):
            return value
        case .some(let other):
            throw Problem.invalidField(
                fieldPath(key),
                "\(fieldPath(key)) must be a number, not \(other.typeName)."
            )
        }
    }

    func optionalObject(_ key: String) throws(Problem) -> JSONObjectReader? {
        switch fields[key] {
        case nil, .null:
            return nil
        case .some(let value):
            return try JSONObjectReader(value, path: fieldPath(key))
        }
    }

    func optionalArray(_ key: String) throws(Problem) -> [JSONValue]? {
        switch fields[key] {
        case nil, .null:
            return nil
        case .array(let values):
            return values
        case .some(let other):
            throw Problem.invalidField(
                fieldPath(key),
                "\(fieldPath(key)) must be an array, not \(other.typeName)."
            )
        }
    }
}
