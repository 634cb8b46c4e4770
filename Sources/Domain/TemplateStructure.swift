/// What a registered template expects from a send: its placeholders, header and buttons.
///
/// Built from the template's structure as Infobip stores it, so a send can be checked before
/// Infobip is called.
public struct TemplateStructure: Sendable, Equatable {
    /// Number of `{{n}}` placeholders in the body.
    public var bodyPlaceholderCount: Int
    /// The header's kind, or `nil` when the template has no header.
    public var header: HeaderKind?
    /// Every button in registration order.
    public var buttons: [ButtonKind]

    public init(bodyPlaceholderCount: Int, header: HeaderKind? = nil, buttons: [ButtonKind] = []) {
        self.bodyPlaceholderCount = bodyPlaceholderCount
        self.header = header
        self.buttons = buttons
    }

    /// Kinds of template header, after Infobip's `format` field.
    public enum HeaderKind: Sendable, Equatable {
        case text(hasPlaceholder: Bool)
        case image
        case video
        case document
        case location
        /// A format WabaRouter does not send, kept as Infobip sent it. `GIF` is one: it needs
        /// Infobip's Marketing Messages API.
        case other(String)
    }

    /// Kinds of template button, after Infobip's `type` field.
    public enum ButtonKind: Sendable, Equatable {
        case quickReply
        case staticURL
        /// A URL button whose address ends in `{{1}}`, filled at send time.
        case dynamicURL
        case copyCode
        case phoneNumber
        case other(String)

        /// The parameter kind a send gives this button, or `nil` when the button takes none.
        var parameterKind: ButtonParameter.Kind? {
            switch self {
            case .quickReply: .quickReply
            case .dynamicURL: .url
            case .copyCode: .copyCode
            case .staticURL, .phoneNumber, .other: nil
            }
        }
    }

    /// Counts the placeholders of a body text: the highest `{{n}}` that appears.
    ///
    /// Meta requires placeholders numbered from 1 without gaps, so the highest number is the
    /// number of values a send must give.
    public static func placeholderCount(in text: String) -> Int {
        var highest = 0
        for inner in placeholderContents(in: text) {
            if let number = Int(inner), number > highest {
                highest = number
            }
        }
        return highest
    }

    /// Checks that the placeholders of a template text are numbered from `{{1}}` without gaps,
    /// as Meta requires, and that no number is above `maximum`.
    ///
    /// A placeholder may repeat, and the numbers may appear in any order.
    public static func checkPlaceholderNumbering(
        in text: String,
        maximum: Int = .max
    ) throws(PlaceholderNumberingError) {
        var numbers: Set<Int> = []
        for inner in placeholderContents(in: text) {
            guard inner.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(inner),
                number >= 1
            else { throw .notANumber("{{\(inner)}}") }
            guard number <= maximum else { throw .aboveMaximum(number, maximum: maximum) }
            numbers.insert(number)
        }
        guard let highest = numbers.max() else { return }
        if let missing = (1...highest).first(where: { !numbers.contains($0) }) {
            throw .missing(missing, highest: highest)
        }
    }

    /// Returns the text between each `{{` and the next `}}`, trimmed of whitespace.
    private static func placeholderContents(in text: String) -> [Substring] {
        var contents: [Substring] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            rest = rest[open.upperBound...]
            guard let close = rest.range(of: "}}") else { break }
            contents.append(rest[..<close.lowerBound].trimmingWhitespace())
            rest = rest[close.upperBound...]
        }
        return contents
    }
}

/// A reason that the placeholders of a template text cannot be registered.
public enum PlaceholderNumberingError: Error, Sendable, Equatable {
    /// A placeholder that is not a number from 1 up, as written, such as `{{name}}`.
    case notANumber(String)
    /// A number that lies below the highest but is not used.
    case missing(Int, highest: Int)
    /// A number above the maximum that the text allows.
    case aboveMaximum(Int, maximum: Int)
}

extension Substring {
    fileprivate func trimmingWhitespace() -> Substring {
        var result = self
        while result.first?.isWhitespace == true { result.removeFirst() }
        while result.last?.isWhitespace == true { result.removeLast() }
        return result
    }
}
