import Foundation
import Testing

@testable import Postgres

/// Text formats of encodable and decodable types, checked without a server.
@Suite struct ValueTextTests {
    @Test func dateEncodesISO8601UTC() {
        let date = Date(timeIntervalSince1970: 0)
        #expect(date.postgresText == "1970-01-01T00:00:00.000000Z")
        let micro = Date(timeIntervalSinceReferenceDate: 0.000001)
        #expect(micro.postgresText == "2001-01-01T00:00:00.000001Z")
        let beforeEpoch = Date(timeIntervalSince1970: -0.5)
        #expect(beforeEpoch.postgresText == "1969-12-31T23:59:59.500000Z")
    }

    @Test(arguments: [
        ("2024-05-06 07:08:09.123456+00", "2024-05-06T07:08:09.123456Z"),
        ("2024-05-06 07:08:09+00", "2024-05-06T07:08:09.000000Z"),
        ("2024-05-06 07:08:09.5+00", "2024-05-06T07:08:09.500000Z"),
        ("2024-05-06 12:38:09+05:30", "2024-05-06T07:08:09.000000Z"),
        ("2024-05-06 03:37:54-03:30:15", "2024-05-06T07:08:09.000000Z"),
        ("2024-05-06T07:08:09.123456Z", "2024-05-06T07:08:09.123456Z"),
        ("2024-05-06 07:08:09", "2024-05-06T07:08:09.000000Z"),
        ("2024-05-06", "2024-05-06T00:00:00.000000Z"),
        ("2024-05-06 07:08:09.1234567+00", "2024-05-06T07:08:09.123457Z"),
        ("0044-03-15 12:00:00+00 BC", "0044-03-15T12:00:00.000000Z BC"),
        ("12345-01-01 00:00:00+00", "12345-01-01T00:00:00.000000Z"),
    ])
    func timestampTextParses(text: String, expected: String) throws {
        #expect(try Date(postgresText: text).postgresText == expected)
    }

    @Test(arguments: [
        "infinity", "-infinity", "2024-13-01 00:00:00+00", "2023-02-29 00:00:00+00",
        "2024-05-06 07:08", "2024-05-06 07:08:09+", "yesterday", "",
    ])
    func timestampTextRejected(text: String) {
        #expect(throws: PostgresError.self) {
            try Date(postgresText: text)
        }
    }

    @Test func arrayLiteralQuotesElements() {
        let value = ["a", "b,c", "q\"uote", #"back\slash"#, ""]
        #expect(value.postgresText == #"{"a","b,c","q\"uote","back\\slash",""}"#)
        #expect([String]().postgresText == "{}")
        let id = UUID(uuidString: "0F4E1B5C-8D9A-4B8E-9C3D-2A1B0C9D8E7F")!
        #expect([id].postgresText == #"{"0f4e1b5c-8d9a-4b8e-9c3d-2a1b0c9d8e7f"}"#)
    }

    @Test(
        arguments: [
            (
                #"{a,"b,c","q\"uote","back\\slash",NULL,"NULL"}"#,
                ["a", "b,c", "q\"uote", #"back\slash"#, nil, "NULL"]
            ),
            ("{}", []),
            ("[0:1]={x,y}", ["x", "y"]),
            ("{  spaced  , \\ kept}", ["spaced", " kept"]),
            ("{Zoë,🎉}", ["Zoë", "🎉"]),
        ] as [(String, [String?])]
    )
    func arrayTextParses(text: String, expected: [String?]) throws {
        #expect(try PostgresArrayText.parse(text) == expected)
    }

    @Test func arrayWithNullRejectedForStrings() {
        #expect(throws: PostgresError.self) {
            try [String](postgresText: "{a,NULL}")
        }
    }

    @Test(arguments: ["{{a,b},{c,d}}", "{a", "a,b", #"{"a}"#, "{a}x"])
    func malformedArrayRejected(text: String) {
        #expect(throws: PostgresError.self) {
            try [String](postgresText: text)
        }
    }

    @Test func byteaTextFormats() throws {
        #expect(Data([0x00, 0xab, 0xff]).postgresText == #"\x00abff"#)
        #expect(try Data(postgresText: #"\x00ABff"#) == Data([0x00, 0xab, 0xff]))
        #expect(try Data(postgresText: #"a\000\\b"#) == Data([0x61, 0x00, 0x5c, 0x62]))
        #expect(throws: PostgresError.self) {
            try Data(postgresText: #"\x0"#)
        }
    }

    @Test func scalarTextFormats() throws {
        #expect(Double.infinity.postgresText == "Infinity")
        #expect((-Double.infinity).postgresText == "-Infinity")
        #expect(Double.nan.postgresText == "NaN")
        #expect(true.postgresText == "true")
        #expect(try Bool(postgresText: "t"))
        #expect(try Bool(postgresText: "f") == false)
        #expect(throws: PostgresError.self) {
            try Bool(postgresText: "yes")
        }
        #expect(throws: PostgresError.self) {
            try Int16(postgresText: "40000")
        }
    }

    @Test func jsonWrapsData() {
        let json = PostgresJSON(data: Data(#"{"a":1}"#.utf8))
        #expect(json.text == #"{"a":1}"#)
        #expect(json.data == Data(#"{"a":1}"#.utf8))
    }

    @Test func uuidTextMatchesFoundation() {
        for _ in 0..<1_000 {
            let id = UUID()
            #expect(id.postgresText == id.uuidString.lowercased())
        }
        let edges = [
            UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
            UUID(
                uuid: (
                    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255
                )
            ),
        ]
        #expect(edges[0].postgresText == "00000000-0000-0000-0000-000000000000")
        #expect(edges[1].postgresText == "ffffffff-ffff-ffff-ffff-ffffffffffff")
    }
}
