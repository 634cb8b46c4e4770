import Foundation
import HTTPServer

extension InfobipSimulator {
    /// Handles the `/simulator/...` endpoints. `segments` are the path segments after
    /// `simulator`.
    func handleControl(_ request: HTTPRequest, segments: [String]) -> HTTPResponse {
        let method = request.method.uppercased()
        if segments.count == 2 && segments[0] == "senders" {
            let number = segments[1]
            switch method {
            case "PUT":
                return setSenderBehavior(request, number: number)
            case "GET":
                return .json(200, senderDocument(number))
            case "DELETE":
                senders.reset(number)
                return .noContent
            default:
                return .json(404, LegacyErrorBody.notFound)
            }
        }
        switch (method, segments.joined(separator: "/")) {
        case ("GET", "requests"):
            var entries = requestLog.entries
            if let path = request.query["path"] {
                entries = entries.filter { $0.path == path }
            }
            return .json(200, .array(entries.map(\.json)))
        case ("DELETE", "requests"):
            requestLog.removeAll()
            return .noContent
        case ("GET", "reports"):
            return .json(200, .array(reportLog.entries))
        case ("DELETE", "reports"):
            reportLog.removeAll()
            return .noContent
        case ("GET", "stats"):
            var stats = ledger.members
            stats["senders"] = senderTraffic.json
            return .json(200, .object(stats))
        default:
            return .json(404, LegacyErrorBody.notFound)
        }
    }

    private func setSenderBehavior(_ request: HTTPRequest, number: String) -> HTTPResponse {
        let document =
            request.body.isEmpty ? JSONValue.object([:]) : JSONValue(parsing: request.body)
        guard let document else {
            return .simulatorError(400, "the body is not valid JSON")
        }
        do {
            let behavior = try SenderBehavior(document: document, updatedAt: Date())
            senders.set(behavior, for: number)
            logger.info(
                "sender behaviour set",
                ["sender": SenderRegistry.key(number), "behavior": behavior.kind.rawValue]
            )
            return .json(200, senderDocument(number))
        } catch {
            return .simulatorError(400, error.message)
        }
    }

    private func senderDocument(_ number: String) -> JSONValue {
        senders.behavior(of: number).json(
            sender: SenderRegistry.key(number),
            defaultReportDelayMilliseconds: configuration.reportDelayMilliseconds
        )
    }
}
