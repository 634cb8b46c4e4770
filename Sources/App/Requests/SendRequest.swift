import Domain
import Foundation

/// The body of `POST /messages/send`, validated.
struct SendRequest: Sendable {
    /// WabaRouter's WABA id, or Meta's WABA id as given when the WABA was created.
    var wabaReference: String
    var to: PhoneNumber
    var templateName: String
    /// `nil` when the request leaves the choice to the template's only language.
    var language: String?
    var params: TemplateParameters
    var callbackData: String?

    /// Infobip accepts at most 4,000 characters of callback data.
    static let maximumCallbackDataLength = 4000

    init(_ body: JSONObjectReader) throws(Problem) {
        try body.rejectUnknownFields(allowed: [
            "wabaId", "to", "templateName", "language", "params", "callbackData",
        ])
        (wabaReference, templateName, language) = try Self.templateFields(body)
        let toText = try body.string(
            "to",
            hint: "Give the recipient's number in international format, such as +5511987654321."
        )
        do {
            to = try PhoneNumber(parsing: toText)
        } catch {
            throw Problem.invalidField("to", error.description)
        }
        params = try Self.parameters(try body.optionalObject("params"))
        callbackData = try body.optionalString("callbackData")
        if let callbackData, callbackData.count > Self.maximumCallbackDataLength {
            throw Problem.invalidField(
                "callbackData",
                "callbackData has \(callbackData.count) characters; Infobip accepts at most "
                    + "\(Self.maximumCallbackDataLength)."
            )
        }
    }

    /// Reads the members that name what to send, which a bulk shares: `wabaId`,
    /// `templateName` and the optional `language`.
    static func templateFields(_ body: JSONObjectReader) throws(Problem)
        -> (wabaReference: String, templateName: String, language: String?)
    {
        let wabaReference = try body.string(
            "wabaId",
            hint: "Give the id returned by POST /wabas, or the WABA's Meta id."
        )
        let templateName = try body.string(
            "templateName",
            hint: "Give the name of an approved template of this WABA."
        )
        let language = try body.optionalString("language")
        if let language, language.isEmpty {
            throw Problem.invalidField(
                "language",
                "language is empty. Give the template's language code, such as en or pt_BR, or "
                    + "leave it out when the template has one language."
            )
        }
        return (wabaReference, templateName, language)
    }

    /// Reads `params`: `{"body": [strings], "header": {...}, "buttons": [{...}]}`.
    static func parameters(_ reader: JSONObjectReader?) throws(Problem) -> TemplateParameters {
        guard let reader else { return TemplateParameters(body: []) }
        try reader.rejectUnknownFields(allowed: ["body", "header", "buttons"])
        var body: [String] = []
        for (index, value) in (try reader.optionalArray("body") ?? []).enumerated() {
            guard case .string(let text) = value else {
                let field = "\(reader.fieldPath("body"))[\(index)]"
                throw Problem.invalidField(
                    field,
                    "\(field) must be a string, not \(value.typeName). Send the placeholder "
                        + "values as strings, in order."
                )
            }
            body.append(text)
        }
        let header = try reader.optionalObject("header").map(headerParameter)
        var buttons: [ButtonParameter] = []
        for (index, value) in (try reader.optionalArray("buttons") ?? []).enumerated() {
            let button = try JSONObjectReader(
                value,
                path: "\(reader.fieldPath("buttons"))[\(index)]"
            )
            buttons.append(try buttonParameter(button))
        }
        return TemplateParameters(body: body, header: header, buttons: buttons)
    }

    private static func headerParameter(_ reader: JSONObjectReader) throws(Problem)
        -> HeaderParameter
    {
        let types = "TEXT, IMAGE, VIDEO, DOCUMENT or LOCATION"
        let type = try reader.string("type", hint: "Give the header type: \(types).")
        switch type {
        case "TEXT":
            try reader.rejectUnknownFields(allowed: ["type", "placeholder"])
            return .text(
                placeholder: try reader.string(
                    "placeholder",
                    hint: "Give the value of the header's {{1}}."
                )
            )
        case "IMAGE", "VIDEO":
            try reader.rejectUnknownFields(allowed: ["type", "mediaUrl"])
            let url = try reader.string("mediaUrl", hint: "Give the https URL of the media file.")
            return type == "IMAGE"
                ? .image(mediaURL: url) : .video(mediaURL: url)
        case "DOCUMENT":
            try reader.rejectUnknownFields(allowed: ["type", "mediaUrl", "filename"])
            return .document(
                mediaURL: try reader.string("mediaUrl", hint: "Give the https URL of the PDF."),
                filename: try reader.string("filename", hint: "Give the name shown to the user.")
            )
        case "LOCATION":
            try reader.rejectUnknownFields(allowed: ["type", "latitude", "longitude"])
            return .location(
                latitude: try coordinate(reader, "latitude", limit: 90),
                longitude: try coordinate(reader, "longitude", limit: 180)
            )
        default:
            throw Problem.invalidField(
                reader.fieldPath("type"),
                "\(reader.fieldPath("type")) is '\(type)'; it must be \(types)."
            )
        }
    }

    private static func coordinate(
        _ reader: JSONObjectReader,
        _ key: String,
        limit: Double
    ) throws(Problem) -> Double {
        guard let value = try reader.optionalNumber(key) else {
            throw Problem.missingField(
                reader.fieldPath(key),
                hint: "Give it in degrees, from -\(Int(limit)) to \(Int(limit))."
            )
        }
        guard (-limit...limit).contains(value) else {
            throw Problem.invalidField(
                reader.fieldPath(key),
                "\(reader.fieldPath(key)) is \(value); it must be from -\(Int(limit)) to "
                    + "\(Int(limit)) degrees."
            )
        }
        return value
    }

    private static func buttonParameter(_ reader: JSONObjectReader) throws(Problem)
        -> ButtonParameter
    {
        try reader.rejectUnknownFields(allowed: ["type", "parameter"])
        let kinds = ButtonParameter.Kind.allCases.map(\.rawValue).joined(separator: ", ")
        let typeText = try reader.string("type", hint: "Give the button type: \(kinds).")
        guard let type = ButtonParameter.Kind(rawValue: typeText) else {
            throw Problem.invalidField(
                reader.fieldPath("type"),
                "\(reader.fieldPath("type")) is '\(typeText)'; it must be one of \(kinds)."
            )
        }
        let parameter = try reader.string(
            "parameter",
            hint: "Give the quick-reply payload, the dynamic URL suffix or the code to copy."
        )
        return ButtonParameter(type: type, parameter: parameter)
    }
}
