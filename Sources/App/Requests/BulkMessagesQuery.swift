import Domain
import Foundation
import Postgres

/// The query of `GET /bulks/{id}/messages`: `status`, `cursor` and `limit`, validated.
struct BulkMessagesQuery: Sendable {
    static let defaultLimit = 100
    static let maximumLimit = 1_000

    var status: MessageStatus?
    /// The last recipient of the previous page.
    var cursor: String?
    var limit: Int

    init(_ query: [String: String]) throws(Problem) {
        if let text = query["status"], !text.isEmpty {
            guard let status = MessageStatus(rawValue: text) else {
                let names = MessageStatus.allCases.map(\.rawValue).joined(separator: ", ")
                throw Problem.invalidField("status", "status '\(text)' is not one of \(names).")
            }
            self.status = status
        }
        if let text = query["cursor"], !text.isEmpty {
            guard let decoded = Self.decodeCursor(text) else {
                throw Problem.invalidField(
                    "cursor",
                    "cursor '\(text)' is not a cursor from this endpoint. Pass the nextCursor of "
                        + "the previous page, or leave it out for the first page."
                )
            }
            cursor = decoded
        }
        limit = Self.defaultLimit
        if let text = query["limit"], !text.isEmpty {
            guard let value = Int(text), (1...Self.maximumLimit).contains(value) else {
                throw Problem.invalidField(
                    "limit",
                    "limit '\(text)' must be a whole number from 1 to \(Self.maximumLimit)."
                )
            }
            limit = value
        }
    }

    /// A page of messages and the cursor of the next one.
    struct Page: Encodable {
        struct Item: Encodable {
            var id: UUID
            var to: String
            var status: String
            var senderId: UUID?
            var failureReason: String?
            var callbackData: String?
            var sentAt: Date?
            var updatedAt: Date
        }

        var messages: [Item]
        /// Nil on the last page.
        var nextCursor: String?

        init(rows: [PostgresRow], limit: Int) throws {
            messages = try rows.map { row in
                Item(
                    id: try row.decode("id"),
                    to: try row.decode("recipient"),
                    status: try row.decode("status"),
                    senderId: try row.decode("sender_id", as: UUID?.self),
                    failureReason: try row.decode("failure_reason", as: String?.self),
                    callbackData: try row.decode("callback_data", as: String?.self),
                    sentAt: try row.decode("sent_at", as: Date?.self),
                    updatedAt: try row.decode("updated_at")
                )
            }
            nextCursor = messages.count == limit ? messages.last.map { encodeCursor($0.to) } : nil
        }
    }

    /// Cursors are the last recipient in unpadded base64url, so clients treat them as opaque.
    static func encodeCursor(_ recipient: String) -> String {
        Data(recipient.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decodeCursor(_ text: String) -> String? {
        var base64 = text.replacingOccurrences(of: "-", with: "+")
            .replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64),
            let recipient = String(data: data, encoding: .utf8),
            !recipient.isEmpty, recipient.allSatisfy({ $0.isASCII && $0.isNumber })
        else { return nil }
        return recipient
    }
}

private func encodeCursor(_ recipient: String) -> String {
    BulkMessagesQuery.encodeCursor(recipient)
}
