/// Describes a decoding error in one sentence that names the field, such as
/// `missing field status.groupId`.
///
/// The first `prefixCount` keys of the coding path are dropped, so a batch item's error names
/// fields relative to the item rather than as `results[3].status.groupId`.
func decodingErrorReason(_ error: DecodingError, droppingPrefix prefixCount: Int) -> String {
    func path(_ codingPath: [any CodingKey], appending key: (any CodingKey)? = nil) -> String {
        var keys = Array(codingPath.dropFirst(prefixCount))
        if let key {
            keys.append(key)
        }
        var text = ""
        for key in keys {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }

    /// "field a.b", or "the value" when the error is about the decoded value itself.
    func subject(_ codingPath: [any CodingKey]) -> String {
        let text = path(codingPath)
        return text.isEmpty ? "the value" : "field \(text)"
    }

    switch error {
    case .keyNotFound(let key, let context):
        return "missing field \(path(context.codingPath, appending: key))"
    case .valueNotFound(let type, let context):
        return "\(subject(context.codingPath)) is null, expected \(type)"
    case .typeMismatch(let type, let context):
        return "\(subject(context.codingPath)) is not of type \(type)"
    case .dataCorrupted(let context):
        return "\(subject(context.codingPath)) is invalid: \(context.debugDescription)"
    @unknown default:
        return "invalid item: \(error)"
    }
}
