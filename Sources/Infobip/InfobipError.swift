/// An error raised by this module outside an HTTP exchange: a webhook body that cannot be
/// parsed, or a request body that cannot be encoded.
///
/// The description contains the operation, the code and a reason, and is safe to log because
/// it never contains credentials or message content.
public struct InfobipError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Machine-readable kind of the failure, stable across releases.
    public enum Code: String, Sendable, Equatable {
        /// The body is not valid JSON.
        case invalidJSON = "invalid_json"
        /// The body is JSON but matches none of the webhook shapes this module parses.
        case unknownWebhookShape = "unknown_webhook_shape"
        /// The body is a template update event with missing or mistyped fields.
        case invalidTemplateUpdateEvent = "invalid_template_update_event"
        /// A request body could not be encoded, for example a non-finite coordinate.
        case invalidRequestBody = "invalid_request_body"
    }

    public var code: Code

    /// The operation that failed, such as `parse webhook`.
    public var operation: String

    /// Description of the invalid input, without message content or secrets.
    public var reason: String

    /// Creates an error.
    public init(code: Code, operation: String, reason: String) {
        self.code = code
        self.operation = operation
        self.reason = reason
    }

    public var description: String {
        "\(operation) failed (\(code.rawValue)): \(reason)"
    }
}
