import Foundation
import HTTPServer

extension InfobipSimulator {
    /// Handles `POST /whatsapp/2/senders/{sender}/templates`: 201 with the
    /// `TemplateApiResponse`, or 400 for an invalid body or a name and language that the
    /// account already has.
    func createTemplate(_ request: HTTPRequest, apiKey: String) -> HTTPResponse {
        guard let body = JSONValue(parsing: request.body)?.objectValue else {
            logger.info("template creation rejected: body is not a JSON object")
            return .json(400, LegacyErrorBody.badRequest())
        }
        let template: TemplateCreateValidator.Template
        switch TemplateCreateValidator.validate(body) {
        case .success(let valid):
            template = valid
        case .failure(let errors):
            logger.info(
                "template creation rejected: validation failed",
                ["fields": errors.paths.joined(separator: ",")]
            )
            return .json(400, LegacyErrorBody.badRequest(errors))
        }
        guard let created = templates.create(template, apiKey: apiKey, now: Date()) else {
            var errors = ValidationErrors()
            errors.add("name", "template with this name and language already exists")
            logger.info(
                "template creation rejected: duplicate name and language",
                ["name": template.name, "language": template.language]
            )
            return .json(400, LegacyErrorBody.badRequest(errors))
        }
        logger.info(
            "template created",
            ["name": template.name, "language": template.language, "category": template.category]
        )
        return .json(201, created)
    }

    /// Handles `GET /whatsapp/2/senders/{sender}/templates`: the account's templates,
    /// whichever sender of the account is in the path.
    func listTemplates(apiKey: String) -> HTTPResponse {
        .json(200, ["templates": .array(templates.templates(apiKey: apiKey))])
    }

    /// Handles `GET /whatsapp/1/senders/quality?senders=a,b`: quality, status and messaging
    /// limit of each listed sender, from its behaviour document.
    func senderQuality(_ request: HTTPRequest) -> HTTPResponse {
        let numbers = (request.query["senders"] ?? "")
            .split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        var errors = ValidationErrors()
        if numbers.isEmpty {
            errors.add("senders", "must not be blank")
        } else if numbers.count > 100 {
            errors.add("senders", "size must be between 1 and 100")
        }
        guard errors.isEmpty else {
            return .json(400, LegacyErrorBody.badRequest(errors))
        }
        let results = numbers.map { number -> JSONValue in
            let behavior = senders.behavior(of: number)
            return [
                "sender": .string(number),
                "qualityRating": .string(behavior.qualityRating),
                "status": .string(behavior.status),
                "currentLimit": .string(behavior.currentLimit),
                "lastUpdated": .string(InfobipTimestamp.zuluForm(behavior.updatedAt)),
            ]
        }
        return .json(200, ["results": .array(results)])
    }
}
