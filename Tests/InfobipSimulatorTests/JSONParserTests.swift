import Foundation
import Testing

@testable import InfobipSimulator

@Suite struct JSONParserTests {
    func parse(_ text: String) -> JSONValue? {
        JSONParser.parse(Data(text.utf8))
    }

    @Test func nestedDocumentParses() {
        let text = #"""
             {"messages":[{"from":"441134960000","to":"441134960001","messageId":null,
              "content":{"templateData":{"body":{"placeholders":["a","b"]}}},
              "flags":[true,false],"count":3,"ratio":0.5}],"bulkId":""}
            """#
        let expected: JSONValue = [
            "messages": [
                [
                    "from": "441134960000", "to": "441134960001", "messageId": nil,
                    "content": ["templateData": ["body": ["placeholders": ["a", "b"]]]],
                    "flags": [true, false], "count": 3, "ratio": 0.5,
                ]
            ],
            "bulkId": "",
        ]
        #expect(parse(text) == expected)
    }

    @Test(arguments: [
        ("0", JSONValue.integer(0)), ("-12", .integer(-12)), ("1.0", .number(1)),
        ("2.5e3", .number(2500)), ("-0.25", .number(-0.25)), ("1E-2", .number(0.01)),
        ("9223372036854775807", .integer(Int.max)),
        ("9223372036854775808", .number(9.223_372_036_854_775_808e18)),
    ])
    func numbersKeepIntegerKind(text: String, expected: JSONValue) {
        #expect(parse(text) == expected)
    }

    @Test func escapesAreDecoded() {
        let text = #""q\" b\\ s\/ \b\f\n\r\t \u00e9 \ud83d\ude00""#
        #expect(parse(text) == .string("q\" b\\ s/ \u{08}\u{0C}\n\r\t é 😀"))
    }

    @Test func multibyteTextIsKept() {
        #expect(parse(#"{"name":"Olá, 世界"}"#) == ["name": "Olá, 世界"])
    }

    @Test func topLevelScalarsParse() {
        #expect(parse(" true ") == .bool(true))
        #expect(parse("null") == .null)
        #expect(parse(#""text""#) == "text")
    }

    @Test func repeatedNameKeepsLastValue() {
        #expect(parse(#"{"a":1,"a":2}"#) == ["a": 2])
    }

    @Test(arguments: [
        "", " ", "plain text", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "[1 2]", "01", "1.",
        ".5", "-", "1e", "+1", "tru", "nul", "\"open", "\"tab\there\"", "\"\\x\"",
        "\"\\u12\"", "\"\\ud83d\"", "\"\\ude00\"", "1e400", "{} {}", "[1]x", "{'a':1}",
        "NaN",
    ])
    func invalidTextIsRejected(text: String) {
        #expect(parse(text) == nil)
    }

    @Test func invalidUTF8IsRejected() {
        let bytes: [UInt8] = [0x22, 0xC3, 0x28, 0x22]
        #expect(JSONParser.parse(Data(bytes)) == nil)
    }

    @Test func nestingLimitIsEnforced() {
        let deepest = JSONParser.maxDepth
        let accepted =
            String(repeating: "[", count: deepest) + String(repeating: "]", count: deepest)
        let rejected = "[" + accepted + "]"
        #expect(parse(accepted) != nil)
        #expect(parse(rejected) == nil)
    }

    @Test func resultMatchesJSONDecoder() throws {
        let text = #"""
            {"results":[{"price":{"pricePerMessage":0.21,"currency":"BRL"},"messageCount":1,
             "status":{"id":5,"groupId":3,"name":"DELIVERED_TO_HANDSET"},"doneAt":null,
             "tags":["x","\u00fc"],"nested":{"deep":[[[]],{}]},"big":12345678901,"neg":-7.5e-3}]}
            """#
        let decoded = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(parse(text) == decoded)
    }
}
