import Foundation
import HTTPServer
import Logging

@testable import InfobipSimulator

/// A response of ``InfobipSimulator/handle(_:)`` with its body parsed.
struct ParsedResponse {
    var status: Int
    var headers: HTTPHeaders
    var body: JSONValue?

    /// The body as text, for failure messages.
    var bodyText: String {
        body.map { String(decoding: $0.serialized(), as: UTF8.self) } ?? "(not JSON)"
    }
}

/// Makes a simulator whose log lines stay in memory.
func makeSimulator(_ configuration: SimulatorConfiguration = SimulatorConfiguration())
    -> InfobipSimulator
{
    InfobipSimulator(
        configuration: configuration,
        logger: Logger(label: "test", level: .debug, handler: InMemoryLogHandler())
    )
}

extension InfobipSimulator {
    /// Calls `handle` with a JSON body and, unless `apiKey` is nil, `Authorization: App <key>`.
    func call(
        _ method: String,
        _ path: String,
        json: JSONValue? = nil,
        rawBody: Data? = nil,
        query: [String: String] = [:],
        apiKey: String? = "test-key"
    ) async -> ParsedResponse {
        var headers = HTTPHeaders()
        if let apiKey {
            headers.add(name: "Authorization", value: "App \(apiKey)")
        }
        var body = rawBody ?? Data()
        if let json {
            headers.add(name: "Content-Type", value: "application/json")
            body = json.serialized()
        }
        let response = await handle(
            HTTPRequest(method: method, path: path, query: query, headers: headers, body: body)
        )
        return ParsedResponse(
            status: response.status,
            headers: response.headers,
            body: JSONValue(parsing: response.body)
        )
    }

    /// Posts `messages` to the template send endpoint.
    func sendTemplates(_ messages: [JSONValue], bulkId: String? = nil) async -> ParsedResponse {
        var body: [String: JSONValue] = ["messages": .array(messages)]
        if let bulkId {
            body["bulkId"] = .string(bulkId)
        }
        return await call("POST", "/whatsapp/1/message/template", json: .object(body))
    }

    /// Sets the behaviour document of `sender`.
    @discardableResult
    func setBehavior(_ sender: String, _ document: JSONValue) async -> ParsedResponse {
        await call("PUT", "/simulator/senders/\(sender)", json: document, apiKey: nil)
    }
}

/// Builds a valid template message. A nil `messageId` or `notifyUrl` leaves the member out.
func templateMessage(
    from: String = "441134960000",
    to: String = "441134960001",
    messageId: String? = nil,
    notifyUrl: String? = nil,
    placeholders: [JSONValue] = ["Placeholder Value 1"]
) -> JSONValue {
    var message: [String: JSONValue] = [
        "from": .string(from),
        "to": .string(to),
        "content": [
            "templateName": "template_name",
            "templateData": ["body": ["placeholders": .array(placeholders)]],
            "language": "en_GB",
        ],
    ]
    if let messageId {
        message["messageId"] = .string(messageId)
    }
    if let notifyUrl {
        message["notifyUrl"] = .string(notifyUrl)
    }
    return .object(message)
}

/// Returns the `validationErrors` of a legacy 400 body.
func validationErrors(_ body: JSONValue?) -> [String: JSONValue] {
    body?["requestError"]?["serviceException"]?["validationErrors"]?.objectValue ?? [:]
}

/// Returns the legacy `messageId` error code of an error body.
func errorCode(_ body: JSONValue?) -> String? {
    body?["requestError"]?["serviceException"]?["messageId"]?.stringValue
}

/// Returns a unique message id, so tests never collide through duplicate detection.
func uniqueMessageId() -> String {
    UUID().uuidString.lowercased()
}
