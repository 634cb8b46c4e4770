import Domain
import Infobip

/// The content of one Infobip template message, apart from the sender and the ids.
struct TemplateContent: Sendable {
    var to: String
    var templateName: String
    var language: String
    var params: TemplateParameters
    var callbackData: String?

    init(request: SendRequest, language: String) {
        self.to = request.to.digits
        self.templateName = request.templateName
        self.language = language
        self.params = request.params
        self.callbackData = request.callbackData
    }

    /// Rebuilds the content of a queued message from its stored parameters, which were checked
    /// against the template when the message was accepted.
    ///
    /// - Throws: a ``Problem`` when the stored parameters no longer read, which only a manual
    ///   change to the row can cause.
    init(item: DispatchBatch.Item) throws(Problem) {
        self.to = item.recipient
        self.templateName = item.templateName
        self.language = item.language
        self.params = try SendRequest.parameters(JSONObjectReader(item.params, path: "params"))
        self.callbackData = item.callbackData
    }

    func infobipMessage(from sender: String, messageID: String, notifyURL: String)
        -> TemplateMessage
    {
        TemplateMessage(
            from: sender,
            to: to,
            messageId: messageID,
            templateName: templateName,
            language: language,
            templateData: TemplateData(
                bodyPlaceholders: params.body,
                header: params.header.map(Self.header),
                buttons: params.buttons.map(Self.button)
            ),
            callbackData: callbackData,
            notifyUrl: notifyURL
        )
    }

    private static func header(_ header: HeaderParameter) -> TemplateHeader {
        switch header {
        case .text(let placeholder): .text(placeholder: placeholder)
        case .image(let url): .image(mediaURL: url)
        case .video(let url): .video(mediaURL: url)
        case .document(let url, let filename): .document(mediaURL: url, filename: filename)
        case .location(let latitude, let longitude):
            .location(latitude: latitude, longitude: longitude)
        }
    }

    private static func button(_ button: ButtonParameter) -> TemplateButton {
        switch button.type {
        case .quickReply: .quickReply(parameter: button.parameter)
        case .url: .url(parameter: button.parameter)
        case .copyCode: .copyCode(parameter: button.parameter)
        }
    }
}
