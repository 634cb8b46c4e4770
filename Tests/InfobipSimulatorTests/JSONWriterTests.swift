import Foundation
import Testing

@testable import InfobipSimulator

@Suite struct JSONWriterTests {
    func text(_ value: JSONValue) -> String {
        String(decoding: JSONWriter.serialize(value), as: UTF8.self)
    }

    @Test func keysAreSortedAndCompact() {
        let value: JSONValue = ["b": [1, true, nil], "a": ["d": "x", "c": 2.5]]
        #expect(text(value) == #"{"a":{"c":2.5,"d":"x"},"b":[1,true,null]}"#)
    }

    @Test func slashesStayUnescaped() {
        #expect(text("http://127.0.0.1:8080/reports") == #""http://127.0.0.1:8080/reports""#)
    }

    @Test func controlCharactersAreEscaped() {
        let value = JSONValue.string("q\" b\\ \n\r\t\u{08}\u{0C}\u{01}\u{1F} é 😀")
        #expect(text(value) == #""q\" b\\ \n\r\t\b\f\u0001\u001f é 😀""#)
    }

    @Test(arguments: [
        (JSONValue.number(30), "30"), (.number(0.21), "0.21"), (.number(-7.5e-3), "-0.0075"),
        (.number(1e20), "1e+20"), (.number(.infinity), "null"), (.number(.nan), "null"),
        (.integer(-12), "-12"), (.integer(Int.max), "9223372036854775807"),
    ])
    func numbersAreWrittenAsJSON(value: JSONValue, expected: String) {
        #expect(text(value) == expected)
    }

    @Test func outputParsesBackToValue() throws {
        let value: JSONValue = [
            "messages": [
                [
                    "to": "441134960001", "messageCount": 1, "messageId": "a/b \"c\"",
                    "status": MessageStatus.pendingEnroute,
                ]
            ],
            "bulkId": "2034072219640523073", "price": ["pricePerMessage": 0.21],
            "empty": [:], "none": [],
        ]
        let data = JSONWriter.serialize(value)
        #expect(JSONParser.parse(data) == value)
        #expect(try JSONDecoder().decode(JSONValue.self, from: data) == value)
    }
}
