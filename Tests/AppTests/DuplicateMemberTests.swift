import Foundation
import TestSupport
import Testing

@testable import App

/// `JSONDecoder` keeps one value of a repeated member name silently, so `JSONValue.parse`
/// rejects a body that repeats a name within one object.
@Suite struct DuplicateMemberTests {
    @Test(arguments: [
        (#"{"name":"a","name":"b"}"#, "name"),
        (#"{"name":"a","\u006eame":"b"}"#, "name"),
        (#"{"params":{"header":{"type":"TEXT","type":"IMAGE"}}}"#, "params.header.type"),
        (
            #"{"params":{"buttons":[{"type":"URL"},{"type":"URL","type":"URL"}]}}"#,
            "params.buttons[1].type"
        ),
        (#"{"a":{"x":1},"b":{"x":2},"c":[1,2],"a":3}"#, "a"),
    ])
    func repeatedNameRejected(body: String, path: String) {
        let expected = Problem(
            .malformedJSON,
            status: 400,
            title: "Malformed JSON",
            detail: "\(path) appears twice in the same object. Send each member once.",
            field: path
        )
        #expect(throws: expected) {
            try JSONValue.parse(Data(body.utf8))
        }
    }

    /// `JSONDecoder` accepts UTF-16 and UTF-32, whose bytes the scanner reads as UTF-8.
    @Test(arguments: [
        String.Encoding.utf16LittleEndian, .utf16BigEndian, .utf16, .utf32LittleEndian,
        .utf32BigEndian, .utf32,
    ])
    func repeatedNameInOtherEncodingRejected(encoding: String.Encoding) throws {
        let body = try #require(#"{"name":"a","name":"b"}"#.data(using: encoding))
        #expect(throws: Problem.self) {
            try JSONValue.parse(body)
        }
    }

    /// JSON exchanged between systems must be UTF-8 (RFC 8259, section 8.1), so a UTF-16 body
    /// is malformed even when it would decode.
    @Test func utf16BodyRejected() throws {
        let text = "{\"a\":\"\u{2200}\",\"b\":\"\u{5D22}\"}"
        let body = try #require(text.data(using: .utf16LittleEndian))
        #expect(throws: Problem.self) {
            try JSONValue.parse(body)
        }
    }

    @Test(arguments: [
        #"{"name":"a","names":"b"}"#,
        #"{"a":{"x":1},"b":{"x":2}}"#,
        #"{"list":[{"x":1},{"x":2}]}"#,
        #"{"text":"a \"name\": b, \"name\": c","name":"d"}"#,
        #"{"x\\":1,"x":2}"#,
    ])
    func distinctNamesAccepted(body: String) {
        #expect(throws: Never.self) {
            try JSONValue.parse(Data(body.utf8))
        }
    }

    @Test func repeatedNameInRequestRejected() async throws {
        try await withScenario { scenario in
            let response = try await sendRawJSON(
                scenario.client,
                "POST",
                "/wabas",
                #"{"name":"a","name":"b","apiKey":"demo-key-1234","#
                    + #""baseUrl":"https://xyz.api.infobip.com","wabaId":"1234"}"#
            )
            expectProblem(
                response,
                status: 400,
                [
                    "type": "urn:wabarouter:problem:malformed-json", "title": "Malformed JSON",
                    "detail": "name appears twice in the same object. Send each member once.",
                    "field": "name", "instance": "/wabas",
                ]
            )
            let list = try await scenario.client.send("GET", "/wabas", body: nil)
            #expect(list.json[objects: "wabas"].count == 1)
        }
    }
}
