import Foundation
import Postgres

/// Finds the template a send names, and checks it can be sent.
enum TemplateResolver {
    /// - Throws: a 422 ``Problem``: `template-not-found`, `language-not-available` (with the
    ///   languages that exist), `template-not-approved`; or a 400 `language-required` when the
    ///   template exists in several languages and none was given.
    static func resolve(
        _ connection: PostgresConnection,
        wabaID: UUID,
        name: String,
        language: String?
    ) throws -> Template {
        let templates = try TemplateStore.find(connection, wabaID: wabaID, name: name)
        guard !templates.isEmpty else {
            throw Problem(
                .templateNotFound,
                status: 422,
                title: "Template not found",
                detail: "The WABA has no template named '\(name)'. Create it with POST "
                    + "/wabas/{id}/templates or pull Infobip's list with POST "
                    + "/wabas/{id}/templates/sync.",
                field: "templateName"
            )
        }
        let languages = templates.map(\.language)
        let template: Template
        if let language {
            guard let match = templates.first(where: { $0.language == language }) else {
                throw Problem(
                    .languageNotAvailable,
                    status: 422,
                    title: "Language not available",
                    detail: "The template '\(name)' has no '\(language)' version. Infobip needs "
                        + "the exact code it was registered with; available: "
                        + "\(languages.joined(separator: ", ")).",
                    field: "language",
                    extensions: ["availableLanguages": .array(languages.map(JSONValue.string))]
                )
            }
            template = match
        } else {
            guard templates.count == 1 else {
                throw Problem(
                    .languageRequired,
                    status: 400,
                    title: "Language required",
                    detail: "The template '\(name)' exists in several languages. Set language to "
                        + "one of: \(languages.joined(separator: ", ")).",
                    field: "language",
                    extensions: ["availableLanguages": .array(languages.map(JSONValue.string))]
                )
            }
            template = templates[0]
        }
        guard template.status == Template.approvedStatus else {
            throw Problem(
                .templateNotApproved,
                status: 422,
                title: "Template not approved",
                detail: "The template '\(name)' (\(template.language)) has status "
                    + "\(template.status); only APPROVED templates can be sent. Wait for Meta's "
                    + "review, then pull the new status with POST /wabas/{id}/templates/sync.",
                field: "templateName"
            )
        }
        return template
    }
}
