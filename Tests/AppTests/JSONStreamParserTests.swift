import Foundation
import Testing

@testable import App

/// Returns a chunk source that hands out `bytes` in chunks of `chunkSize` bytes and counts the
/// calls in `calls`.
private func chunkSource(
    _ bytes: [UInt8],
    chunkSize: Int,
    calls: CallCounter = CallCounter()
) -> () throws -> Data? {
    var offset = 0
    return {
        calls.count += 1
        guard offset < bytes.count else { return nil }
        let end = min(offset + chunkSize, bytes.count)
        defer { offset = end }
        return Data(bytes[offset..<end])
    }
}

private final class CallCounter {
    var count = 0
}

private func makeParser(
    _ text: String,
    chunkSize: Int = 65_536,
    maxDepth: Int = 64
) -> JSONStreamParser {
    JSONStreamParser(maxDepth: maxDepth, read: chunkSource(Array(text.utf8), chunkSize: chunkSize))
}

/// Parses a whole document with ``JSONStreamParser/readValue()`` and checks the end.
private func readDocument(
    _ bytes: [UInt8],
    chunkSize: Int,
    maxDepth: Int = 64
) throws(JSONStreamError) -> JSONValue {
    var parser = JSONStreamParser(
        maxDepth: maxDepth,
        read: chunkSource(bytes, chunkSize: chunkSize)
    )
    let value = try parser.readValue()
    try parser.finish()
    return value
}

/// Returns the ``JSONStreamError`` that `body` throws, or `nil` when it throws none.
private func streamError(_ body: () throws -> Void) -> JSONStreamError? {
    do {
        try body()
        return nil
    } catch let error as JSONStreamError {
        return error
    } catch {
        Issue.record("expected a JSONStreamError, got \(error)")
        return nil
    }
}

private let chunkSizes = [1, 2, 7, 65_536]

private let validDocuments: [String] = [
    "null",
    "true",
    "false",
    "0",
    "-0",
    "12",
    "-12.5e3",
    "1E+2",
    "1e-2",
    "0.000001",
    "9007199254740993",
    "123456789012345678901234567890",
    "1.7976931348623157e308",
    "4.9e-324",
    #""""#,
    #""plain""#,
    #""\"\\\/\b\f\n\r\t""#,
    #""\u00e9\u4E2D\uD83D\uDE00\u0000""#,
    "\"é中😀 mixed \\n with escapes\"",
    "\"\u{7F} is DEL\"",
    "[]",
    "{}",
    " \t\r\n[ 1 , 2 ]\n",
    #"{"to":"+44 7700 900001","params":{"body":["Ana","A-100"]},"callbackData":"x"}"#,
    #"[{"a":[{"b":null}]},[[],{}],"end",-1.5,true]"#,
    String(repeating: "[", count: 64) + String(repeating: "]", count: 64),
    "\"" + String(repeating: "ab€😀", count: 3000) + "\"",
]

/// A document that must fail, with the expected error.
struct InvalidDocument: Sendable, CustomTestStringConvertible {
    var bytes: [UInt8]
    var offset: Int
    var reason: String
    var maxDepth = 64

    init(_ text: String, _ offset: Int, _ reason: String, maxDepth: Int = 64) {
        self.init(bytes: Array(text.utf8), offset, reason, maxDepth: maxDepth)
    }

    init(bytes: [UInt8], _ offset: Int, _ reason: String, maxDepth: Int = 64) {
        self.bytes = bytes
        self.offset = offset
        self.reason = reason
        self.maxDepth = maxDepth
    }

    var testDescription: String {
        String(reflecting: String(decoding: bytes.prefix(40), as: UTF8.self))
    }
}

private let invalidDocuments: [InvalidDocument] = [
    InvalidDocument("", 0, "unexpected end of input"),
    InvalidDocument("   ", 3, "unexpected end of input"),
    InvalidDocument("{", 1, "unexpected end of input"),
    InvalidDocument(#"{"a":1"#, 6, "unexpected end of input"),
    InvalidDocument("[1,", 3, "unexpected end of input"),
    InvalidDocument(#"{"a":1,}"#, 7, "expected a member name"),
    InvalidDocument("{1:2}", 1, "expected a member name"),
    InvalidDocument("[1,]", 3, "expected a value"),
    InvalidDocument("[,1]", 1, "expected a value"),
    InvalidDocument("[1 2]", 3, "expected ',' or ']'"),
    InvalidDocument(#"{"a":1 "b":2}"#, 7, "expected ',' or '}'"),
    InvalidDocument(#"{"a" 1}"#, 5, "expected ':'"),
    InvalidDocument("]", 0, "expected a value"),
    InvalidDocument("01", 0, "number has a leading zero"),
    InvalidDocument("[-01]", 1, "number has a leading zero"),
    InvalidDocument("+1", 0, "expected a value"),
    InvalidDocument(".5", 0, "expected a value"),
    InvalidDocument("NaN", 0, "expected a value"),
    InvalidDocument("-", 1, "unexpected end of input"),
    InvalidDocument("-a", 1, "expected a digit after '-'"),
    InvalidDocument("1.", 2, "unexpected end of input"),
    InvalidDocument("1.e5", 2, "expected a digit after '.'"),
    InvalidDocument("1e+", 3, "unexpected end of input"),
    InvalidDocument("1ex", 2, "expected a digit in the exponent"),
    InvalidDocument("[1e400]", 1, "number out of range"),
    InvalidDocument("-1e400", 0, "number out of range"),
    InvalidDocument("tru", 3, "unexpected end of input"),
    InvalidDocument("trUe", 0, "expected 'true'"),
    InvalidDocument("[fals3]", 1, "expected 'false'"),
    InvalidDocument("nul1", 0, "expected 'null'"),
    InvalidDocument("truex", 4, "unexpected data after the top-level value"),
    InvalidDocument("{} x", 3, "unexpected data after the top-level value"),
    InvalidDocument("[1]]", 3, "unexpected data after the top-level value"),
    InvalidDocument(#""abc"#, 0, "unterminated string"),
    InvalidDocument(#"["abc"#, 1, "unterminated string"),
    InvalidDocument(#""\"#, 0, "unterminated string"),
    InvalidDocument(#""\u12"#, 0, "unterminated string"),
    InvalidDocument(#""\uD800"#, 0, "unterminated string"),
    InvalidDocument(#""\x""#, 1, "invalid escape sequence"),
    InvalidDocument(#""ab\'""#, 3, "invalid escape sequence"),
    InvalidDocument(#""\u12G4""#, 1, "invalid \\u escape"),
    InvalidDocument(#""\uD800\uZZZZ""#, 7, "invalid \\u escape"),
    InvalidDocument(#""\uD800""#, 1, "unpaired UTF-16 surrogate"),
    InvalidDocument(#""\uDC00""#, 1, "unpaired UTF-16 surrogate"),
    InvalidDocument(#""\uD800\u0041""#, 1, "unpaired UTF-16 surrogate"),
    InvalidDocument(#""a\uD800\n""#, 2, "unpaired UTF-16 surrogate"),
    InvalidDocument(#""a\uDBFFx""#, 2, "unpaired UTF-16 surrogate"),
    InvalidDocument("\"a\u{01}b\"", 2, "unescaped control character in string"),
    InvalidDocument("\"line\nbreak\"", 5, "unescaped control character in string"),
    InvalidDocument(bytes: [0x22, 0xC3, 0x28, 0x22], 1, "invalid UTF-8"),
    InvalidDocument(bytes: [0x22, 0x61, 0x80, 0x22], 2, "invalid UTF-8"),
    InvalidDocument(bytes: [0x22, 0xC0, 0xAF, 0x22], 1, "invalid UTF-8"),
    InvalidDocument(bytes: [0x22, 0xE0, 0x80, 0xAF, 0x22], 1, "invalid UTF-8"),
    InvalidDocument(bytes: [0x22, 0xED, 0xA0, 0x80, 0x22], 1, "invalid UTF-8"),
    InvalidDocument(bytes: [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 1, "invalid UTF-8"),
    InvalidDocument(bytes: [0x22, 0x61, 0xE2, 0x82, 0x22], 2, "invalid UTF-8"),
    InvalidDocument(bytes: [0x22, 0xF0, 0x9F, 0x98, 0x41, 0x22], 1, "invalid UTF-8"),
    InvalidDocument(bytes: [0x22, 0xFF, 0x22], 1, "invalid UTF-8"),
    InvalidDocument(bytes: [0x22, 0xE2, 0x82], 0, "unterminated string"),
    InvalidDocument(
        String(repeating: "[", count: 65) + String(repeating: "]", count: 65),
        64,
        "nesting deeper than 64"
    ),
    InvalidDocument(#"{"a":{"b":{"c":1}}}"#, 10, "nesting deeper than 2", maxDepth: 2),
    InvalidDocument("[[[1]]]", 2, "nesting deeper than 2", maxDepth: 2),
    InvalidDocument("[]", 0, "nesting deeper than 0", maxDepth: 0),
]

@Suite struct JSONStreamParserTests {
    @Test(arguments: validDocuments, chunkSizes)
    func wholeDocumentMatchesParse(document: String, chunkSize: Int) throws {
        let expected = try JSONValue.parse(Data(document.utf8))

        let value = try readDocument(Array(document.utf8), chunkSize: chunkSize)

        #expect(value == expected)
    }

    @Test(arguments: invalidDocuments, chunkSizes)
    func invalidDocumentFails(document: InvalidDocument, chunkSize: Int) {
        let error = streamError {
            _ = try readDocument(document.bytes, chunkSize: chunkSize, maxDepth: document.maxDepth)
        }

        #expect(error?.reason == document.reason)
        #expect(error?.offset == document.offset)
        #expect(error?.cause == .invalidJSON)
    }

    /// Skipping checks the grammar but converts no numbers, so it cannot find one out of range.
    @Test(arguments: invalidDocuments.filter { $0.reason != "number out of range" }, [1, 65_536])
    func skipValueRejectsInvalidDocument(document: InvalidDocument, chunkSize: Int) {
        var parser = JSONStreamParser(
            maxDepth: document.maxDepth,
            read: chunkSource(document.bytes, chunkSize: chunkSize)
        )

        let error = streamError {
            try parser.skipValue()
            try parser.finish()
        }

        #expect(error == JSONStreamError(offset: document.offset, reason: document.reason))
    }

    @Test(arguments: chunkSizes)
    func repeatedMemberRejectedAfterTheValue(chunkSize: Int) throws {
        var parser = makeParser(
            #"[{"a":1,"n":{"b":[{"c":1,"\u0063":2}]}},{"a":3}]"#,
            chunkSize: chunkSize
        )
        try parser.beginArray()
        #expect(try parser.nextElement())

        let error = streamError { _ = try parser.readValue() }

        #expect(
            error == JSONStreamError.duplicateMember(path: "[0].n.b[0].c", offset: 25)
        )
        #expect(try parser.nextElement())
        #expect(try parser.readValue() == .object(["a": .number(3)]))
        #expect(try parser.nextElement() == false)
        try parser.finish()
    }

    @Test(arguments: chunkSizes)
    func repeatedMemberRejectedWhenSkipped(chunkSize: Int) throws {
        var parser = makeParser(#"[{"x":{"a":1,"a":2}},7]"#, chunkSize: chunkSize)
        try parser.beginArray()
        #expect(try parser.nextElement())

        let error = streamError { try parser.skipValue() }

        #expect(error == JSONStreamError.duplicateMember(path: "[0].x.a", offset: 13))
        #expect(try parser.nextElement())
        #expect(try parser.readValue() == .number(7))
    }

    @Test func repeatedTopLevelNameRejectedByNextMember() throws {
        var parser = makeParser(#"{"a":1,"a":2}"#)
        try parser.beginObject()
        #expect(try parser.nextMember() == "a")
        _ = try parser.readValue()

        let error = streamError { _ = try parser.nextMember() }

        #expect(error == JSONStreamError.duplicateMember(path: "a", offset: 7))
        #expect(try parser.readValue() == .number(2))
        #expect(try parser.nextMember() == nil)
    }

    @Test(
        arguments: [
            #"{"messages":[{"to":"1"},{"to":"2","params":[]}],"defaults":{"x":[1,{"y":2}]},"n":0}"#,
            #"{"defaults":{"x":[1,{"y":2}]},"n":0,"messages":[{"to":"1"},{"to":"2","params":[]}]}"#,
        ],
        chunkSizes
    )
    func messagesFoundBeforeOrAfterOtherMembers(document: String, chunkSize: Int) throws {
        var parser = makeParser(document, chunkSize: chunkSize)
        var messages: [JSONValue] = []
        var others: [String: JSONValue] = [:]

        try parser.beginObject()
        while let name = try parser.nextMember() {
            guard name == "messages" else {
                others[name] = try parser.readValue()
                continue
            }
            try parser.beginArray()
            while try parser.nextElement() {
                messages.append(try parser.readValue())
            }
        }
        try parser.finish()

        #expect(
            messages == [
                .object(["to": .string("1")]),
                .object(["to": .string("2"), "params": .array([])]),
            ]
        )
        #expect(
            others == [
                "defaults": .object(["x": .array([.number(1), .object(["y": .number(2)])])]),
                "n": .number(0),
            ]
        )
        #expect(parser.byteOffset == document.utf8.count)
    }

    @Test(arguments: chunkSizes)
    func skipValuePassesOverAnyValue(chunkSize: Int) throws {
        let document =
            #"{"a":{"deep":[1,-2.5e3,{"s":"\u00e9\""}],"t":true},"b":"x","c":null,"d":[]}"#
        var parser = makeParser(document, chunkSize: chunkSize)
        var names: [String] = []

        try parser.beginObject()
        while let name = try parser.nextMember() {
            names.append(name)
            if name == "b" {
                #expect(try parser.readValue() == .string("x"))
            } else {
                try parser.skipValue()
            }
        }
        try parser.finish()

        #expect(names == ["a", "b", "c", "d"])
    }

    @Test func skipValueChecksSkippedContent() {
        var parser = makeParser(#"{"skip":[1,,2],"keep":3}"#)

        let error = streamError {
            try parser.beginObject()
            _ = try parser.nextMember()
            try parser.skipValue()
        }

        #expect(error == JSONStreamError(offset: 11, reason: "expected a value"))
    }

    @Test func peekKindLeavesValueInPlace() throws {
        var parser = makeParser(#"[ {"a":1}, [2], "s", -3, 4, true, false, null ]"#, chunkSize: 2)
        var kinds: [JSONStreamParser.Kind] = []
        var values: [JSONValue] = []

        try parser.beginArray()
        while try parser.nextElement() {
            kinds.append(try parser.peekKind())
            values.append(try parser.readValue())
        }
        try parser.finish()

        #expect(kinds == [.object, .array, .string, .number, .number, .bool, .bool, .null])
        #expect(values.count == 8)
        #expect(values.first == .object(["a": .number(1)]))
        #expect(values.last == .null)
    }

    @Test func peekKindRejectsNonValue() {
        var parser = makeParser("[}]")

        let error = streamError {
            try parser.beginArray()
            _ = try parser.nextElement()
            _ = try parser.peekKind()
        }

        #expect(error == JSONStreamError(offset: 1, reason: "expected a value"))
    }

    @Test func emptyContainersEndAtOnce() throws {
        var parser = makeParser(#"{"o":{},"a":[]}"#, chunkSize: 1)

        try parser.beginObject()
        #expect(try parser.nextMember() == "o")
        try parser.beginObject()
        #expect(try parser.nextMember() == nil)
        #expect(try parser.nextMember() == "a")
        try parser.beginArray()
        #expect(try parser.nextElement() == false)
        #expect(try parser.nextMember() == nil)
        try parser.finish()
    }

    @Test func beginObjectRejectsArray() {
        var parser = makeParser("  [1]")

        let error = streamError { try parser.beginObject() }

        #expect(error == JSONStreamError(offset: 2, reason: "expected an object"))
    }

    @Test func beginArrayRejectsObject() {
        var parser = makeParser(#"{"messages":{}}"#)

        let error = streamError {
            try parser.beginObject()
            _ = try parser.nextMember()
            try parser.beginArray()
        }

        #expect(error == JSONStreamError(offset: 12, reason: "expected an array"))
    }

    @Test func nextMemberRejectsTrailingComma() {
        var parser = makeParser(#"{"a":1,}"#, chunkSize: 1)

        let error = streamError {
            try parser.beginObject()
            _ = try parser.nextMember()
            try parser.skipValue()
            _ = try parser.nextMember()
        }

        #expect(error == JSONStreamError(offset: 7, reason: "expected a member name"))
    }

    @Test func nextMemberRejectsMissingComma() {
        var parser = makeParser(#"{"a":1 "b":2}"#)

        let error = streamError {
            try parser.beginObject()
            _ = try parser.nextMember()
            try parser.skipValue()
            _ = try parser.nextMember()
        }

        #expect(error == JSONStreamError(offset: 7, reason: "expected ',' or '}'"))
    }

    @Test func nextElementRejectsTrailingComma() {
        var parser = makeParser("[1,]")

        let error = streamError {
            try parser.beginArray()
            while try parser.nextElement() {
                try parser.skipValue()
            }
        }

        #expect(error == JSONStreamError(offset: 3, reason: "expected a value"))
    }

    @Test func nextElementRejectsMissingComma() {
        var parser = makeParser("[1 2]")

        let error = streamError {
            try parser.beginArray()
            while try parser.nextElement() {
                try parser.skipValue()
            }
        }

        #expect(error == JSONStreamError(offset: 3, reason: "expected ',' or ']'"))
    }

    @Test func beginArrayCountsOpenContainers() {
        var parser = makeParser(#"{"a":[[1]]}"#, maxDepth: 2)

        let error = streamError {
            try parser.beginObject()
            _ = try parser.nextMember()
            try parser.beginArray()
            _ = try parser.nextElement()
            _ = try parser.readValue()
        }

        #expect(error == JSONStreamError(offset: 6, reason: "nesting deeper than 2"))
    }

    @Test func errorRepeatsOnLaterCalls() {
        let calls = CallCounter()
        var parser = JSONStreamParser(
            read: chunkSource(Array("[1 2]".utf8), chunkSize: 1, calls: calls)
        )
        let expected = JSONStreamError(offset: 3, reason: "expected ',' or ']'")

        let first = streamError { _ = try parser.readValue() }
        let callsAfterFirst = calls.count
        let second = streamError { _ = try parser.readValue() }

        #expect(first == expected)
        #expect(second == expected)
        #expect(calls.count == callsAfterFirst)
    }

    @Test func readFailureKeepsItsCause() {
        struct DiskError: Error, CustomStringConvertible {
            var description: String { "disk read failed" }
        }
        var delivered = false
        var parser = JSONStreamParser {
            guard !delivered else { throw DiskError() }
            delivered = true
            return Data(#"{"a":"#.utf8)
        }

        let error = streamError { _ = try parser.readValue() }

        #expect(
            error == JSONStreamError(offset: 5, reason: "disk read failed", cause: .readFailed)
        )
    }

    @Test func emptyChunksAreSkipped() throws {
        var chunks: [Data] = [Data(), Data("[tr".utf8), Data(), Data(), Data("ue]".utf8)]
        var parser = JSONStreamParser {
            chunks.isEmpty ? nil : chunks.removeFirst()
        }

        let value = try parser.readValue()
        try parser.finish()

        #expect(value == .array([.bool(true)]))
    }

    @Test func elementsArePulledOnDemand() throws {
        let element = #"{"to":"+44 7700 900001","callbackData":"x"}"#
        let document = "[" + Array(repeating: element, count: 1000).joined(separator: ",") + "]"
        let calls = CallCounter()
        var parser = JSONStreamParser(
            read: chunkSource(Array(document.utf8), chunkSize: 64, calls: calls)
        )

        try parser.beginArray()
        _ = try parser.nextElement()
        let first = try parser.readValue()

        #expect(first == .object(["to": .string("+44 7700 900001"), "callbackData": .string("x")]))
        #expect(calls.count == 1)
        #expect(parser.byteOffset == element.utf8.count + 1)
    }

    @Test func descriptionNamesOffsetAndReason() {
        let invalid = JSONStreamError(offset: 7, reason: "expected ':'")
        let failedRead = JSONStreamError(offset: 0, reason: "timed out", cause: .readFailed)

        #expect(invalid.description == "invalid JSON at byte 7: expected ':'")
        #expect(failedRead.description == "reading JSON failed at byte 0: timed out")
    }
}
