/// The values one send fills into a template: body placeholders, header and buttons.
public struct TemplateParameters: Sendable, Equatable, Codable {
    /// Body placeholder values, in template order.
    public var body: [String]
    public var header: HeaderParameter?
    /// Values for the buttons that take one, in registration order.
    public var buttons: [ButtonParameter]

    public init(body: [String], header: HeaderParameter? = nil, buttons: [ButtonParameter] = []) {
        self.body = body
        self.header = header
        self.buttons = buttons
    }

    /// Checks these values against what the template expects.
    ///
    /// - Throws: ``TemplateParameterMismatch`` naming the first field at fault.
    public func validate(against structure: TemplateStructure) throws(TemplateParameterMismatch) {
        try validateBody(against: structure)
        try validateHeader(against: structure.header)
        try validateButtons(against: structure.buttons)
    }

    private func validateBody(against structure: TemplateStructure)
        throws(TemplateParameterMismatch)
    {
        guard body.count == structure.bodyPlaceholderCount else {
            throw TemplateParameterMismatch(
                field: "params.body",
                detail: "The template's body takes \(structure.bodyPlaceholderCount) placeholder "
                    + "values but params.body has \(body.count). Send one value per placeholder, "
                    + "in order."
            )
        }
        for (index, value) in body.enumerated() where value.isEmpty {
            throw TemplateParameterMismatch(
                field: "params.body[\(index)]",
                detail: "Placeholder values must not be empty. Give a value for {{\(index + 1)}}."
            )
        }
        for (index, value) in body.enumerated() where value.count > Self.maximumValueLength {
            throw TemplateParameterMismatch(
                field: "params.body[\(index)]",
                detail: "params.body[\(index)] has \(value.count) characters; a placeholder value "
                    + "may have at most \(Self.maximumValueLength), the length of a whole "
                    + "template body. Shorten it."
            )
        }
    }

    /// Maximum length of a body placeholder value, in grapheme clusters.
    ///
    /// Meta limits a template's body text to 1,024 characters and rejects a send whose text,
    /// with its values filled in, is too long (error 132005). A value longer than a whole body
    /// can therefore never be sent. Grapheme clusters give the smallest count of any unit, so
    /// only a value that is too long by every count is rejected.
    ///
    /// A too-long value is a ``TemplateParameterMismatch``, which the API reports as 422
    /// `parameter-mismatch` like an empty value: both are well-formed requests whose values
    /// the template cannot take, found by the same check before anything is stored or sent.
    public static let maximumValueLength = 1024

    private func validateHeader(
        against kind: TemplateStructure.HeaderKind?
    ) throws(TemplateParameterMismatch) {
        let expected = Self.expectedHeaderType(for: kind)
        switch (expected, header) {
        case (nil, nil):
            return
        case (nil, .some):
            throw TemplateParameterMismatch(
                field: "params.header",
                detail: "The template's header takes no parameter. Remove params.header."
            )
        case (.some(let type), nil):
            throw TemplateParameterMismatch(
                field: "params.header",
                detail: "The template has a \(type) header. Add params.header with type \(type)."
            )
        case (.some(let type), .some(let given)):
            guard given.type == type else {
                throw TemplateParameterMismatch(
                    field: "params.header.type",
                    detail: "The template has a \(type) header but params.header.type is "
                        + "\(given.type). Send a \(type) header."
                )
            }
        }
    }

    /// The header type a send must give, or `nil` when the header takes no parameter.
    private static func expectedHeaderType(for kind: TemplateStructure.HeaderKind?) -> String? {
        switch kind {
        case nil, .text(hasPlaceholder: false), .other: nil
        case .text(hasPlaceholder: true): "TEXT"
        case .image: "IMAGE"
        case .video: "VIDEO"
        case .document: "DOCUMENT"
        case .location: "LOCATION"
        }
    }

    private func validateButtons(
        against kinds: [TemplateStructure.ButtonKind]
    ) throws(TemplateParameterMismatch) {
        let expected = kinds.compactMap(\.parameterKind)
        // Quick replies may go without a payload, so a send with no button values is fine when
        // every parameterised button is a quick reply.
        if buttons.isEmpty, expected.allSatisfy({ $0 == .quickReply }) {
            return
        }
        guard buttons.count == expected.count else {
            let list = expected.map(\.rawValue).joined(separator: ", ")
            throw TemplateParameterMismatch(
                field: "params.buttons",
                detail: "The template has \(expected.count) buttons that take a parameter "
                    + "(\(list.isEmpty ? "none" : list)) but params.buttons has \(buttons.count). "
                    + "Send one entry per such button, in the template's order."
            )
        }
        for (index, pair) in zip(buttons, expected).enumerated() where pair.0.type != pair.1 {
            throw TemplateParameterMismatch(
                field: "params.buttons[\(index)].type",
                detail: "Button \(index) of the template is \(pair.1.rawValue) but the value "
                    + "given is \(pair.0.type.rawValue). Keep the template's button order."
            )
        }
    }
}

/// The parameter of a template header.
public enum HeaderParameter: Sendable, Equatable, Codable {
    case text(placeholder: String)
    case image(mediaURL: String)
    case video(mediaURL: String)
    case document(mediaURL: String, filename: String)
    case location(latitude: Double, longitude: Double)

    /// Infobip's name for the header type.
    public var type: String {
        switch self {
        case .text: "TEXT"
        case .image: "IMAGE"
        case .video: "VIDEO"
        case .document: "DOCUMENT"
        case .location: "LOCATION"
        }
    }
}

/// The parameter of one template button.
public struct ButtonParameter: Sendable, Equatable, Codable {
    /// Button kinds that take a parameter at send time, named as Infobip names them.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case quickReply = "QUICK_REPLY"
        case url = "URL"
        case copyCode = "COPY_CODE"
    }

    public var type: Kind
    /// Payload of a quick reply, suffix of a dynamic URL, or the code to copy.
    public var parameter: String

    public init(type: Kind, parameter: String) {
        self.type = type
        self.parameter = parameter
    }
}

/// A send whose parameters do not fit the template.
public struct TemplateParameterMismatch: Error, Sendable, Equatable {
    /// Path of the field at fault, such as `params.body`.
    public var field: String
    /// What is wrong and how to fix it.
    public var detail: String
}
