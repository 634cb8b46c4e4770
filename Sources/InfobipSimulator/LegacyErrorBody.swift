/// Infobip's legacy `ApiException` error bodies, the model used by the WhatsApp send and template
/// endpoints: `{"requestError":{"serviceException":{"messageId","text","validationErrors"?}}}`.
///
/// The codes and texts are those of Infobip's published OpenAPI document, version 3.210.0.
enum LegacyErrorBody {
    static func badRequest(_ validationErrors: ValidationErrors? = nil) -> JSONValue {
        body(code: "BAD_REQUEST", text: "Bad request", validationErrors: validationErrors)
    }

    static let unauthorized = body(code: "UNAUTHORIZED", text: "Unauthorized")
    static let notFound = body(code: "NOT_FOUND", text: "Not found")
    static let tooManyRequests = body(code: "TOO_MANY_REQUESTS", text: "Too many requests")
    static let generalError = body(
        code: "GENERAL_ERROR",
        text: "Something went wrong. Please contact support."
    )

    private static func body(
        code: String,
        text: String,
        validationErrors: ValidationErrors? = nil
    ) -> JSONValue {
        var exception: [String: JSONValue] = ["messageId": .string(code), "text": .string(text)]
        if let validationErrors, !validationErrors.isEmpty {
            exception["validationErrors"] = validationErrors.json
        }
        return ["requestError": ["serviceException": .object(exception)]]
    }
}
