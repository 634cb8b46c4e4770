import Foundation
import Infobip

/// Values and helpers shared by the Infobip tests.
enum TestValues {
    static let apiKey = "003026bbc133714df1834b8638bb496e-8f4b3d9a-e931-478d-a994-28a725159ab9"

    static let credentials = InfobipCredentials(
        baseURL: URL(string: "https://xyz.api.infobip.com")!,
        apiKey: apiKey
    )

    static let pendingEnroute = MessageStatusInfo(
        groupId: 1,
        groupName: "PENDING",
        id: 7,
        name: "PENDING_ENROUTE",
        description: "Message sent to next instance"
    )

    /// Returns a message with only the required fields and two body placeholders.
    static func message(
        messageId: String = "msg-1",
        templateData: TemplateData = TemplateData(bodyPlaceholders: ["Ana", "42"])
    ) -> TemplateMessage {
        TemplateMessage(
            from: "441134960000",
            to: "441134960001",
            messageId: messageId,
            templateName: "order_update",
            language: "en_GB",
            templateData: templateData
        )
    }

    /// Milliseconds since 1970, so instants compare without floating-point noise.
    static func milliseconds(_ date: Date?) -> Int64? {
        date.map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) }
    }

    /// Parses JSON into Foundation objects, for comparisons that ignore key order.
    static func jsonObject(_ data: Data) throws -> NSObject {
        try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as! NSObject
    }

    static func data(_ text: String) -> Data {
        Data(text.utf8)
    }

    /// Returns a legacy error body, `{"requestError":{"serviceException":{"messageId","text"}}}`.
    static func legacyErrorBody(code: String, text: String) -> Data {
        data(#"{"requestError":{"serviceException":{"messageId":"\#(code)","text":"\#(text)"}}}"#)
    }

    /// JSON of the `PENDING_ENROUTE` status that Infobip returns for an accepted message.
    static let pendingEnrouteJSON =
        #"{"groupId":1,"groupName":"PENDING","id":7,"name":"PENDING_ENROUTE","#
        + #""description":"Message sent to next instance"}"#
}
