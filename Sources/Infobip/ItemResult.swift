/// Outcome of parsing one item of a webhook batch.
///
/// A batch keeps its good items when one item is malformed, so a broken report never hides
/// the reports around it.
public enum ItemResult<T: Sendable>: Sendable {
    case parsed(T)
    /// The item at `index` (zero-based in `results`) could not be read, and `reason` names the
    /// missing or mistyped field.
    case invalid(index: Int, reason: String)

    /// The parsed item, or nil when it was invalid.
    public var value: T? {
        if case .parsed(let value) = self { return value }
        return nil
    }
}

extension ItemResult: Equatable where T: Equatable {}
