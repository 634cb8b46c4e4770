import Testing

@testable import App

/// Route matching: literal segments win over parameters, and other methods give a 405.
@Suite struct RouterTests {
    private static func router() -> Router<String> {
        var router = Router<String>()
        router.add("POST", "/messages/send", "send")
        router.add("POST", "/messages/bulk", "bulk")
        router.add("GET", "/messages/:id", "message")
        router.add("GET", "/wabas/:id/senders", "senders")
        router.add("PATCH", "/wabas/:id/senders/:senderId", "sender")
        return router
    }

    @Test func literalSegmentBeatsParameter() {
        guard
            case .found(let handler, let parameters) = Self.router().match(
                method: "POST",
                path: "/messages/bulk"
            )
        else {
            Issue.record("POST /messages/bulk did not match")
            return
        }
        #expect(handler == "bulk")
        #expect(parameters.isEmpty)
    }

    @Test func literalPathWithOtherMethodNotAllowed() {
        guard
            case .methodNotAllowed(let allowed) = Self.router().match(
                method: "GET",
                path: "/messages/bulk"
            )
        else {
            Issue.record("GET /messages/bulk was not a 405")
            return
        }
        #expect(allowed == ["POST"])
    }

    @Test func parameterSegmentStillMatches() {
        guard
            case .found(let handler, let parameters) = Self.router().match(
                method: "GET",
                path: "/messages/0193"
            )
        else {
            Issue.record("GET /messages/0193 did not match")
            return
        }
        #expect(handler == "message")
        #expect(parameters == ["id": "0193"])
    }

    @Test func unknownPathNotFound() {
        guard case .notFound = Self.router().match(method: "GET", path: "/wabas/1/other") else {
            Issue.record("GET /wabas/1/other matched")
            return
        }
    }
}
