import Foundation
import HTTPServer

/// One request to an Infobip endpoint as `GET /simulator/requests` shows it.
///
/// The entry keeps the raw body bytes, which the server already holds, and renders JSON only
/// when the log is read, so logging costs little on the request path.
struct RequestLogEntry: Sendable {
    var method: String
    var path: String
    var query: [String: String]
    var headers: HTTPHeaders
    var receivedAt: Date
    /// The body as received, or nil when the simulator runs with `--log-bodies off`.
    var body: Data?
    /// Length of the body's `messages` array, for a body that has one.
    var messageCount: Int?
    /// The distinct `from` values of the body's messages, in order of first appearance.
    var senders: [String]?

    /// Builds the entry of `request`, whose body parsed as `document` (nil when it is not
    /// JSON).
    init(_ request: HTTPRequest, document: JSONValue?, keepsBody: Bool, receivedAt: Date) {
        method = request.method
        path = request.path
        query = request.query
        headers = request.headers
        self.receivedAt = receivedAt
        body = keepsBody ? request.body : nil
        if let messages = document?["messages"]?.arrayValue {
            messageCount = messages.count
            senders = Self.distinctSenders(messages)
        }
    }

    /// The entry as JSON: `method`, `path`, `query`, `headers`, `receivedAt`, then `body` when
    /// kept, and `messageCount` and `senders` for a body with `messages`.
    var json: JSONValue {
        var members: [String: JSONValue] = [
            "method": .string(method),
            "path": .string(path),
            "query": .object(query.mapValues(JSONValue.string)),
            "headers": .object(Self.mergedHeaders(headers)),
            "receivedAt": .string(InfobipTimestamp.offsetForm(receivedAt)),
        ]
        if let body {
            members["body"] =
                JSONValue(parsing: body) ?? .string(String(decoding: body, as: UTF8.self))
        }
        if let messageCount {
            members["messageCount"] = .integer(messageCount)
        }
        if let senders {
            members["senders"] = .array(senders.map(JSONValue.string))
        }
        return .object(members)
    }

    private static func distinctSenders(_ messages: [JSONValue]) -> [String] {
        var seen: Set<String> = []
        var senders: [String] = []
        for message in messages {
            if let from = message["from"]?.stringValue, seen.insert(from).inserted {
                senders.append(from)
            }
        }
        return senders
    }

    /// Joins the values of a repeated header with `, `, as HTTP allows (RFC 9110, 5.3).
    private static func mergedHeaders(_ headers: HTTPHeaders) -> [String: JSONValue] {
        var merged: [String: JSONValue] = [:]
        for (name, value) in headers {
            if let existing = merged[name]?.stringValue {
                merged[name] = .string(existing + ", " + value)
            } else {
                merged[name] = .string(value)
            }
        }
        return merged
    }
}
