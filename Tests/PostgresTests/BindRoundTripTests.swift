import Foundation
import Postgres
import Testing

/// Bound parameters of every encodable type sent to the server and decoded from its output.
@Suite struct BindRoundTripTests {
    /// Sends `value` as `$1::type` and decodes the server's text output of it.
    private func roundTrip<T: PostgresEncodable & PostgresDecodable>(
        _ value: T,
        as type: String
    ) async throws -> T {
        try await TestDatabase.withPool(poolSize: 1) { pool in
            try await pool.withConnection { connection in
                let query = PostgresQuery(
                    unsafeSQL: "SELECT $1::\(type) AS value",
                    binds: [value]
                )
                let rows = try connection.query(query)
                return try #require(rows.first).decode("value", as: T.self)
            }
        }
    }

    @Test(arguments: [
        "",
        "plain",
        "unicode: Zoë, 日本語, emoji 🎉, combining e\u{301}",
        "single ' and double \" quotes",
        #"back\slash \\ and \x41 and \n literally"#,
        "line\nbreak\ttab\r",
        "'; DROP TABLE users; --",
        "$1 and $2 are not placeholders inside a value",
    ])
    func stringRoundTrip(value: String) async throws {
        #expect(try await roundTrip(value, as: "text") == value)
    }

    @Test func integerRoundTrips() async throws {
        #expect(try await roundTrip(Int.max, as: "int8") == Int.max)
        #expect(try await roundTrip(Int.min, as: "int8") == Int.min)
        #expect(try await roundTrip(Int64(-42), as: "int8") == -42)
        #expect(try await roundTrip(Int32.max, as: "int4") == Int32.max)
        #expect(try await roundTrip(Int32.min, as: "int4") == Int32.min)
        #expect(try await roundTrip(Int16.max, as: "int2") == Int16.max)
        #expect(try await roundTrip(Int16.min, as: "int2") == Int16.min)
    }

    @Test(arguments: [0.1, -1e-300, 1.7976931348623157e308, 5e-324, 0, -0.0, 123_456.789])
    func doubleRoundTrip(value: Double) async throws {
        let decoded = try await roundTrip(value, as: "float8")
        #expect(decoded == value)
        #expect(decoded.sign == value.sign)
    }

    @Test func doubleSpecialValues() async throws {
        #expect(try await roundTrip(Double.infinity, as: "float8") == .infinity)
        #expect(try await roundTrip(-Double.infinity, as: "float8") == -.infinity)
        #expect(try await roundTrip(Double.nan, as: "float8").isNaN)
    }

    @Test func boolRoundTrip() async throws {
        #expect(try await roundTrip(true, as: "bool") == true)
        #expect(try await roundTrip(false, as: "bool") == false)
    }

    @Test func uuidRoundTrip() async throws {
        let value = UUID()
        #expect(try await roundTrip(value, as: "uuid") == value)
    }

    @Test func timestampWithMicroseconds() async throws {
        // 2024-02-29 23:59:59.123456 UTC, built from Date's own reference date so that the
        // Double holds the nearest value to the intended microsecond.
        let date = Date(timeIntervalSinceReferenceDate: 730_943_999.123456)
        #expect(try await roundTrip(date, as: "timestamptz") == date)

        let serverText = try await TestDatabase.withPool(poolSize: 1) { pool in
            try await pool.withConnection { connection in
                let rows = try connection.query("SELECT \(date)::timestamptz::text AS value")
                return try #require(rows.first).decode("value", as: String.self)
            }
        }
        #expect(serverText == "2024-02-29 23:59:59.123456+00")
    }

    @Test(arguments: [
        "2001-01-01 00:00:00+00",
        "1969-12-31 23:59:59.999999+00",
        "0001-01-01 00:00:00+00",
        "0044-03-15 12:00:00.5+00 BC",
        "2199-12-31 23:59:59.999999+00",
        "9999-12-31 23:59:59+00",
    ])
    func timestampServerTextRoundTrip(text: String) async throws {
        let (decoded, reprinted) = try await TestDatabase.withPool(poolSize: 1) { pool in
            try await pool.withConnection { connection in
                let parsed = try #require(
                    try connection.query("SELECT \(text)::timestamptz AS value").first
                ).decode("value", as: Date.self)
                let printed = try #require(
                    try connection.query("SELECT \(parsed)::timestamptz::text AS value").first
                ).decode("value", as: String.self)
                return (parsed, printed)
            }
        }
        #expect(reprinted == text)
        #expect(try Date(postgresText: reprinted) == decoded)
    }

    @Test func timestampFromOtherOffsetIsUTC() async throws {
        let text = try await TestDatabase.withPool(poolSize: 1) { pool in
            try await pool.withConnection { connection in
                let rows = try connection.query(
                    "SELECT '2024-01-01 00:00:00+05:30'::timestamptz::text AS value"
                )
                return try #require(rows.first).decode("value", as: String.self)
            }
        }
        #expect(text == "2023-12-31 18:30:00+00")
    }

    @Test func byteaRoundTrip() async throws {
        let allBytes = Data((0...255).map { UInt8($0) })
        #expect(try await roundTrip(allBytes, as: "bytea") == allBytes)
        #expect(try await roundTrip(Data(), as: "bytea") == Data())

        let length = try await TestDatabase.withPool(poolSize: 1) { pool in
            try await pool.withConnection { connection in
                let rows = try connection.query("SELECT length(\(allBytes)::bytea) AS value")
                return try #require(rows.first).decode("value", as: Int.self)
            }
        }
        #expect(length == 256)
    }

    @Test func textArrayRoundTrip() async throws {
        let value = [
            "plain", "with,comma", "with \"quotes\"", #"back\slash"#, "", "NULL", "null",
            " padded ", "{braces}", "Zoë 🎉", "a'b",
        ]
        #expect(try await roundTrip(value, as: "text[]") == value)
        #expect(try await roundTrip([String](), as: "text[]") == [])

        let (count, containsComma, elementIsNull) = try await TestDatabase.withPool(poolSize: 1) {
            pool in
            try await pool.withConnection { connection in
                let rows = try connection.query(
                    """
                    SELECT cardinality(\(value)::text[]) AS count,
                        \("with,comma") = ANY(\(value)::text[]) AS contains_comma,
                        (\(value)::text[])[6] IS NULL AS element_is_null
                    """
                )
                let row = try #require(rows.first)
                return (
                    try row.decode("count", as: Int.self),
                    try row.decode("contains_comma", as: Bool.self),
                    try row.decode("element_is_null", as: Bool.self)
                )
            }
        }
        #expect(count == value.count)
        #expect(containsComma)
        #expect(elementIsNull == false)
    }

    @Test func uuidArrayRoundTrip() async throws {
        let value = [UUID(), UUID(), UUID()]
        #expect(try await roundTrip(value, as: "uuid[]") == value)
    }

    @Test func twoDimensionalArrayEncodes() async throws {
        let value = [["a", "b,c"], ["d\"", "e"]]
        let text = try await TestDatabase.withPool(poolSize: 1) { pool in
            try await pool.withConnection { connection in
                let rows = try connection.query(
                    "SELECT (\(value)::text[])[2][1] AS element, array_ndims(\(value)::text[]) AS n"
                )
                let row = try #require(rows.first)
                return (
                    try row.decode("element", as: String.self), try row.decode("n", as: Int.self)
                )
            }
        }
        #expect(text.0 == "d\"")
        #expect(text.1 == 2)
    }

    @Test func jsonbRoundTrip() async throws {
        let json = PostgresJSON(
            text: #"{"name": "Zoë \"q\" \\ 🎉", "n": [1, 2.5, null], "nested": {"a": true}}"#
        )
        let (decoded, name, isEqual) = try await TestDatabase.withPool(poolSize: 1) { pool in
            try await pool.withConnection { connection in
                let decoded = try #require(
                    try connection.query("SELECT \(json)::jsonb AS value").first
                ).decode("value", as: PostgresJSON.self)
                let row = try #require(
                    try connection.query(
                        """
                        SELECT (\(json)::jsonb)->>'name' AS name,
                            \(json)::jsonb = \(decoded)::jsonb AS is_equal
                        """
                    ).first
                )
                return (
                    decoded,
                    try row.decode("name", as: String.self),
                    try row.decode("is_equal", as: Bool.self)
                )
            }
        }
        #expect(name == #"Zoë "q" \ 🎉"#)
        #expect(isEqual)
        let object = try JSONSerialization.jsonObject(with: decoded.data) as? [String: Any]
        #expect(object?["name"] as? String == #"Zoë "q" \ 🎉"#)
    }

    @Test func nilBindsNull() async throws {
        let missing: String? = nil
        let present: Int? = 7
        let row = try await TestDatabase.withPool(poolSize: 1) { pool in
            try await pool.withConnection { connection in
                try #require(
                    try connection.query(
                        "SELECT \(missing)::text AS missing, \(present)::int8 AS present"
                    ).first
                )
            }
        }
        #expect(row.isNull("missing"))
        #expect(try row.decode("missing", as: String?.self) == nil)
        #expect(row.isNull("present") == false)
        #expect(try row.decode("present", as: Int?.self) == 7)
        #expect(throws: PostgresError.self) {
            try row.decode("missing", as: String.self)
        }
    }

    @Test func allTypesTableRoundTrip() async throws {
        let id = UUID()
        let date = Date(timeIntervalSinceReferenceDate: 700_000_000.000001)
        let tags = ["x,y", "\"z\""]
        let blob = Data([0x00, 0xde, 0xad, 0xbe, 0xef])
        let json = PostgresJSON(text: #"{"k": "v"}"#)
        let row = try await TestDatabase.withPool(poolSize: 1) { pool in
            try await pool.withConnection { connection in
                try connection.execute(
                    unsafeSQL: """
                        CREATE TEMP TABLE all_types (
                            id uuid PRIMARY KEY, name text, count int8, small int2,
                            ratio float8, active bool, at timestamptz, tags text[], blob bytea,
                            doc jsonb, note text
                        )
                        """
                )
                let inserted = try connection.execute(
                    """
                    INSERT INTO all_types
                        (id, name, count, small, ratio, active, at, tags, blob, doc, note)
                    VALUES (\(id), \("Zoë"), \(Int64(1) << 40), \(Int16(-3)), \(0.5), \(true),
                        \(date), \(tags), \(blob), \(json), \(nil as String?))
                    """
                )
                #expect(inserted == 1)
                return try #require(
                    try connection.query("SELECT * FROM all_types WHERE id = \(id)").first
                )
            }
        }
        #expect(try row.decode("id", as: UUID.self) == id)
        #expect(try row.decode("name", as: String.self) == "Zoë")
        #expect(try row.decode("count", as: Int64.self) == 1 << 40)
        #expect(try row.decode("small", as: Int32.self) == -3)
        #expect(try row.decode("ratio", as: Double.self) == 0.5)
        #expect(try row.decode("active", as: Bool.self))
        #expect(try row.decode("at", as: Date.self) == date)
        #expect(try row.decode("tags", as: [String].self) == tags)
        #expect(try row.decode("blob", as: Data.self) == blob)
        #expect(try row.decode("doc", as: PostgresJSON.self) == json)
        #expect(try row.decode("note", as: String?.self) == nil)
        #expect(row.columnNames.count == 11)
    }

    @Test func nulCharacterRejectedBeforeSending() async throws {
        let error = try await TestDatabase.withPool(poolSize: 1) { pool in
            await #expect(throws: PostgresError.self) {
                try await pool.withConnection { connection in
                    try connection.query("SELECT \("a\u{0}b")::text AS value")
                }
            }
        }
        #expect(error?.code == .queryFailed)
        #expect(error?.message.contains("$1") == true)
    }

    @Test func invalidInputMessageHidesValue() async throws {
        let error = try await TestDatabase.withPool(poolSize: 1) { pool in
            await #expect(throws: PostgresError.self) {
                try await pool.withConnection { connection in
                    try connection.query("SELECT \("secret-input")::int4 AS value")
                }
            }
        }
        #expect(error?.sqlState == "22P02")
        #expect(error?.message.contains("secret-input") == false)
        #expect(error?.description.contains("secret-input") == false)
    }

    @Test func decodingWrongTypeFails() async throws {
        let row = try await TestDatabase.withPool(poolSize: 1) { pool in
            try await pool.withConnection { connection in
                try #require(try connection.query("SELECT 'abc'::text AS value").first)
            }
        }
        let error = #expect(throws: PostgresError.self) {
            try row.decode("value", as: Int.self)
        }
        #expect(error?.code == .decodingFailed)
        #expect(error?.message.contains("value") == true)
        let missing = #expect(throws: PostgresError.self) {
            try row.decode("absent", as: String.self)
        }
        #expect(missing?.code == .decodingFailed)
    }
}
