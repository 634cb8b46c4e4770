import Foundation
import Synchronization

/// Templates created through the simulator, kept per API key because one key stands for one
/// WhatsApp Business Account, whose templates every sender of the account shares.
final class TemplateStore: Sendable {
    private struct Account {
        var businessAccountId: Int
        var templates: [JSONValue] = []
        var nameLanguagePairs: Set<String> = []
    }

    private struct State {
        var accounts: [String: Account] = [:]
        var nextTemplateId = 1_000_001
        var nextBusinessAccountId = 200_000_001
    }

    private let state = Mutex(State())
    private let status: String

    /// - Parameter status: `status` of every created template, such as `APPROVED`.
    init(status: String) {
        self.status = status
    }

    /// Stores `template` for `apiKey` and returns its `TemplateApiResponse`, or nil when the
    /// account already has a template of that name and language.
    func create(_ template: TemplateCreateValidator.Template, apiKey: String, now: Date)
        -> JSONValue?
    {
        state.withLock { state in
            var account =
                state.accounts[apiKey]
                ?? Account(businessAccountId: state.nextBusinessAccountId)
            if state.accounts[apiKey] == nil {
                state.nextBusinessAccountId += 1
            }
            let pair = "\(template.name)\u{0}\(template.language)"
            guard !account.nameLanguagePairs.contains(pair) else { return nil }
            let id = state.nextTemplateId
            state.nextTemplateId += 1
            let response = Self.response(
                for: template,
                id: id,
                businessAccountId: account.businessAccountId,
                status: status,
                now: now
            )
            account.templates.append(response)
            account.nameLanguagePairs.insert(pair)
            state.accounts[apiKey] = account
            return response
        }
    }

    /// Returns every template of `apiKey`'s account, oldest first.
    func templates(apiKey: String) -> [JSONValue] {
        state.withLock { $0.accounts[apiKey]?.templates ?? [] }
    }

    private static func response(
        for template: TemplateCreateValidator.Template,
        id: Int,
        businessAccountId: Int,
        status: String,
        now: Date
    ) -> JSONValue {
        var structure = template.structure
        structure["type"] = .string(structureType(template.structure))
        let timestamp = JSONValue.string(InfobipTimestamp.offsetForm(now))
        var members: [String: JSONValue] = [
            "id": .string(String(id)),
            "businessAccountId": .integer(businessAccountId),
            "name": .string(template.name),
            "language": .string(template.language),
            "status": .string(status),
            "category": .string(template.category),
            "structure": .object(structure),
            "quality": "UNKNOWN",
            "createdAt": timestamp,
            "lastUpdatedAt": timestamp,
        ]
        if let platform = template.platform, !platform.isNull {
            members["platform"] = platform
        }
        if let subCategory = template.subCategory {
            members["subCategory"] = .string(subCategory)
        }
        return .object(members)
    }

    /// Returns `TEXT` for a template of text only, `MEDIA` when it has a media header or buttons.
    ///
    /// NOTE: inferred from the spec's examples, where a text template reads `TEXT` and both a
    /// template with an image header and an authentication template with a button read `MEDIA`.
    private static func structureType(_ structure: [String: JSONValue]) -> String {
        let headerFormat = structure["header"]?["format"]?.stringValue
        let hasMediaHeader = headerFormat != nil && headerFormat != "TEXT"
        let hasButtons = !(structure["buttons"]?.arrayValue ?? []).isEmpty
        return hasMediaHeader || hasButtons ? "MEDIA" : "TEXT"
    }
}
