import Foundation
import Postgres

/// SQL for templates. Templates belong to a WABA; no sender appears here.
enum TemplateStore {
    private static let columns = """
        id, waba_id, infobip_id, name, language, category, status, quality, structure, \
        created_at, updated_at
        """

    /// Inserts a template, or refreshes the stored one with the same name and language.
    ///
    /// Every U+0000 in the record is stored as U+FFFD, since PostgreSQL cannot store U+0000 and
    /// Infobip's text may contain it.
    @discardableResult
    static func upsert(
        _ connection: PostgresConnection,
        wabaID: UUID,
        record: TemplateRecord
    ) throws -> Template {
        let record = record.replacingNULCharacters()
        let rows = try connection.query(
            PostgresQuery(
                unsafeSQL: """
                    INSERT INTO templates (id, waba_id, infobip_id, name, language, category,
                                           status, quality, structure, infobip_response)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                    ON CONFLICT (waba_id, name, language) DO UPDATE SET
                        infobip_id = COALESCE(EXCLUDED.infobip_id, templates.infobip_id),
                        category = EXCLUDED.category, status = EXCLUDED.status,
                        quality = EXCLUDED.quality, structure = EXCLUDED.structure,
                        infobip_response = EXCLUDED.infobip_response, updated_at = now()
                    RETURNING \(columns)
                    """,
                binds: [
                    UUID(), wabaID, record.infobipID, record.name, record.language,
                    record.category, record.status, record.quality,
                    PostgresJSON(data: record.structure.encoded()),
                    record.infobipResponse.map { PostgresJSON(data: $0) },
                ]
            )
        )
        return try template(from: rows[0])
    }

    static func list(_ connection: PostgresConnection, wabaID: UUID) throws -> [Template] {
        let rows = try connection.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT \(columns) FROM templates WHERE waba_id = $1 ORDER BY name, language
                    """,
                binds: [wabaID]
            )
        )
        return try rows.map(template(from:))
    }

    /// Returns every language of one template name.
    static func find(
        _ connection: PostgresConnection,
        wabaID: UUID,
        name: String
    ) throws -> [Template] {
        let rows = try connection.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT \(columns) FROM templates WHERE waba_id = $1 AND name = $2
                    ORDER BY language
                    """,
                binds: [wabaID, name]
            )
        )
        return try rows.map(template(from:))
    }

    /// Applies a status change Infobip announced for one of its template ids.
    static func updateStatus(
        _ connection: PostgresConnection,
        infobipID: String,
        name: String,
        language: String,
        status: String
    ) throws -> Int {
        try connection.execute(
            """
            UPDATE templates SET status = \(status), updated_at = now()
            WHERE infobip_id = \(infobipID) AND name = \(name) AND language = \(language)
            """
        )
    }

    private static func template(from row: PostgresRow) throws -> Template {
        let structure: PostgresJSON = try row.decode("structure")
        return Template(
            id: try row.decode("id"),
            wabaId: try row.decode("waba_id"),
            infobipId: try row.decode("infobip_id", as: String?.self),
            name: try row.decode("name"),
            language: try row.decode("language"),
            category: try row.decode("category"),
            status: try row.decode("status"),
            quality: try row.decode("quality", as: String?.self),
            components: (try? JSONValue.parse(structure.data)) ?? .null,
            createdAt: try row.decode("created_at"),
            updatedAt: try row.decode("updated_at")
        )
    }
}

/// A template as Infobip describes it, ready to be stored.
struct TemplateRecord: Sendable {
    var infobipID: String?
    var name: String
    var language: String
    var category: String
    var status: String
    var quality: String?
    var structure: JSONValue
    /// Infobip's response body as received, for audits.
    var infobipResponse: Data?
}

extension TemplateRecord {
    /// Whether any text of the record contains U+0000 (NUL).
    var containsNULCharacter: Bool {
        let texts = [infobipID, name, language, category, status, quality].compactMap { $0 }
        return texts.contains { $0.containsNULCharacter }
            || structure.pathOfNULCharacter() != nil
            || infobipResponse.map { Self.parsedJSON($0).pathOfNULCharacter() != nil } == true
    }

    /// Returns the record with every U+0000 replaced by U+FFFD.
    func replacingNULCharacters() -> TemplateRecord {
        TemplateRecord(
            infobipID: infobipID?.replacingNULCharacters(),
            name: name.replacingNULCharacters(),
            language: language.replacingNULCharacters(),
            category: category.replacingNULCharacters(),
            status: status.replacingNULCharacters(),
            quality: quality?.replacingNULCharacters(),
            structure: structure.replacingNULCharacters(),
            infobipResponse: infobipResponse.map {
                Self.parsedJSON($0).replacingNULCharacters().encoded()
            }
        )
    }

    /// Parses an Infobip response body. A body that is not JSON becomes a JSON string.
    private static func parsedJSON(_ data: Data) -> JSONValue {
        (try? JSONValue.parse(data)) ?? .string(String(decoding: data, as: UTF8.self))
    }
}
