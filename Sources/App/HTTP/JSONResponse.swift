import Foundation
import HTTPServer

/// Builds JSON responses from `Encodable` values.
enum JSONResponse {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.format(date))
        }
        return encoder
    }()

    static func make(status: Int = 200, _ value: some Encodable) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        let body: Data
        do {
            body = try encoder.encode(value)
        } catch {
            preconditionFailure("response of type \(type(of: value)) failed to encode: \(error)")
        }
        return HTTPResponse(status: status, headers: headers, body: body)
    }
}

/// The instant format of every API response: ISO 8601 in UTC with milliseconds, such as
/// `2026-12-04T10:01:04.123Z`.
enum Timestamp {
    static func format(_ date: Date) -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date)
    }
}
