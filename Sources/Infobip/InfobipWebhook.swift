public import Foundation

/// A webhook body that Infobip posts to us.
///
/// Delivery, seen and inbound bodies are batches, `{"results":[...]}`, parsed item by item so
/// that one malformed item never hides the others. A template update event is one object.
public enum InfobipWebhook: Sendable {
    case deliveryReports([ItemResult<DeliveryReport>])
    case seenReports([ItemResult<SeenReport>])
    case inboundMessages([ItemResult<InboundMessage>])
    case templateUpdate(TemplateUpdateEvent)

    /// Parses a webhook body, detecting its kind from its fields.
    ///
    /// An object with `messageTemplateId` or `change` is a template update event. In a
    /// `results` batch each item votes for one kind. `seenAt` marks a seen report, and
    /// `receivedAt`, `message` or `integrationType` an inbound message. `status` or `doneAt`
    /// marks a delivery report. A top-level `pendingMessageCount` or `messageCount`, which only
    /// inbound batches carry, makes the batch inbound. The kind with the most votes wins, and items
    /// that do not parse as that kind become ``ItemResult/invalid(index:reason:)``. An empty
    /// batch without those top-level counts is returned as empty delivery reports.
    ///
    /// - Throws: ``InfobipError`` with code `invalid_json` when the body is not JSON,
    ///   `unknown_webhook_shape` when it matches no kind or the votes tie, and
    ///   `invalid_template_update_event` when a template update event lacks a required field.
    public static func parse(_ body: Data) throws -> InfobipWebhook {
        let decoder = JSONDecoder()
        let shape: ShapeProbe
        do {
            shape = try decoder.decode(ShapeProbe.self, from: body)
        } catch DecodingError.dataCorrupted {
            throw webhookError(.invalidJSON, "the body is not valid JSON")
        } catch {
            throw webhookError(.unknownWebhookShape, "the body is not a JSON object")
        }

        if shape.isTemplateEvent {
            do {
                return .templateUpdate(try decoder.decode(TemplateUpdateEvent.self, from: body))
            } catch let error as DecodingError {
                throw webhookError(
                    .invalidTemplateUpdateEvent,
                    decodingErrorReason(error, droppingPrefix: 0)
                )
            }
        }

        guard let items = shape.items else {
            throw webhookError(
                .unknownWebhookShape,
                "the body has neither a results array nor messageTemplateId"
            )
        }

        switch try batchKind(shape, items: items) {
        case .delivery:
            return .deliveryReports(try decodeItems(DeliveryReport.self, from: body))
        case .seen:
            return .seenReports(try decodeItems(SeenReport.self, from: body))
        case .inbound:
            return .inboundMessages(try decodeItems(InboundMessage.self, from: body))
        }
    }

    private enum BatchKind: CaseIterable {
        case delivery, seen, inbound
    }

    private static func batchKind(_ shape: ShapeProbe, items: [BatchKind?]) throws -> BatchKind {
        if shape.hasInboundCounts {
            return .inbound
        }
        if items.isEmpty {
            return .delivery
        }

        var votes: [BatchKind: Int] = [:]
        for case let kind? in items {
            votes[kind, default: 0] += 1
        }

        let highest = votes.values.max() ?? 0
        let leaders = BatchKind.allCases.filter { votes[$0] == highest }
        guard highest > 0 else {
            throw webhookError(
                .unknownWebhookShape,
                "no item in results looks like a delivery report, seen report or inbound message"
            )
        }
        guard leaders.count == 1, let kind = leaders.first else {
            throw webhookError(
                .unknownWebhookShape,
                "results mixes report kinds in equal numbers"
            )
        }
        return kind
    }

    /// The members that tell a webhook's kind, read by their names alone.
    ///
    /// Decoding the body into a ``JSONValue`` tree would tell the same, but `JSONValue`'s
    /// `Decodable` conformance throws and catches a type mismatch for most values, which
    /// dominated the instance's CPU under report traffic. Checking which keys exist throws
    /// nothing.
    private struct ShapeProbe: Decodable {
        var isTemplateEvent: Bool
        var hasInboundCounts: Bool
        /// Each `results` item's vote, or nil when `results` is missing or not an array.
        var items: [BatchKind?]?

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: AnyKey.self)
            isTemplateEvent =
                container.contains("messageTemplateId") || container.contains("change")
            hasInboundCounts =
                container.contains("pendingMessageCount") || container.contains("messageCount")
            items = (try? container.decode([ItemProbe].self, forKey: "results"))?.map(\.kind)
        }
    }

    /// One `results` item's vote: `seenAt` marks a seen report; `receivedAt`, `message` or
    /// `integrationType` an inbound message; `status` or `doneAt` a delivery report.
    private struct ItemProbe: Decodable {
        var kind: BatchKind?

        init(from decoder: any Decoder) {
            guard let container = try? decoder.container(keyedBy: AnyKey.self) else {
                kind = nil
                return
            }
            if container.contains("seenAt") {
                kind = .seen
            } else if container.contains("receivedAt") || container.contains("message")
                || container.contains("integrationType")
            {
                kind = .inbound
            } else if container.contains("status") || container.contains("doneAt") {
                kind = .delivery
            } else {
                kind = nil
            }
        }
    }

    /// A coding key for any member name.
    private struct AnyKey: CodingKey, ExpressibleByStringLiteral {
        var stringValue: String
        var intValue: Int? { nil }

        init(stringValue: String) {
            self.stringValue = stringValue
        }

        init?(intValue: Int) {
            nil
        }

        init(stringLiteral value: String) {
            self.stringValue = value
        }
    }

    private static func decodeItems<T: Decodable & Sendable>(
        _ type: T.Type,
        from body: Data
    ) throws -> [ItemResult<T>] {
        let batch: Batch<T>
        do {
            batch = try JSONDecoder().decode(Batch<T>.self, from: body)
        } catch let error as DecodingError {
            throw webhookError(.unknownWebhookShape, decodingErrorReason(error, droppingPrefix: 0))
        }
        return batch.results.enumerated().map { index, item in
            if let value = item.value {
                return .parsed(value)
            }
            return .invalid(index: index, reason: item.failureReason)
        }
    }

    private static func webhookError(_ code: InfobipError.Code, _ reason: String) -> InfobipError {
        InfobipError(code: code, operation: "parse webhook", reason: reason)
    }
}

/// `{"results":[...]}` whose items are decoded one by one.
private struct Batch<T: Decodable & Sendable>: Decodable {
    var results: [IsolatedItem<T>]
}

/// One batch item whose decoding error is captured instead of failing the whole batch.
private struct IsolatedItem<T: Decodable & Sendable>: Decodable {
    /// The item, or nil when it did not decode.
    var value: T?

    /// Reason the item did not decode, or empty when it did.
    var failureReason = ""

    init(from decoder: any Decoder) {
        do {
            value = try T(from: decoder)
        } catch let error as DecodingError {
            failureReason = decodingErrorReason(error, droppingPrefix: decoder.codingPath.count)
        } catch {
            failureReason = "\(error)"
        }
    }
}
