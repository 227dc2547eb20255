import Foundation
import HeimdallProtocol
@testable import HeimdallStore
import HeimdallTestSupport
import Testing

@Suite struct EncodingTests {
    @Test func timestampFormatAndParse() throws {
        let date = Date(timeIntervalSince1970: 1_790_000_000.123456)
        #expect(PostgresTimestamp.format(date) == "2026-09-21T14:13:20.123456Z")
        let parsed = try #require(PostgresTimestamp.parse("2026-09-21 14:13:20.123456+00"))
        #expect(abs(parsed.timeIntervalSince(date)) < 0.000_002)
        let offset = try #require(PostgresTimestamp.parse("2026-09-21 19:43:20+05:30"))
        #expect(offset.timeIntervalSince1970 == 1_790_000_000)
        let negative = try #require(PostgresTimestamp.parse("2026-09-21 13:13:20-01"))
        #expect(negative.timeIntervalSince1970 == 1_790_000_000)
        #expect(PostgresTimestamp.parse("infinity") == nil)
        #expect(PostgresTimestamp.format(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500000Z")
    }

    @Test func copyTextEscapes() {
        var encoder = CopyTextEncoder()
        encoder.text("a\\b\tc\nd\re")
        encoder.text(nil)
        encoder.text("ü")
        encoder.endRow()
        #expect(String(decoding: encoder.bytes, as: UTF8.self) == "a\\\\b\\tc\\nd\\re\t\\N\tü\n")
    }

    @Test func copyTextEncodesTypedValues() throws {
        var encoder = CopyTextEncoder()
        let session = try #require(UUID(uuidString: "0A1B2C3D-4E5F-6071-8293-A4B5C6D7E8F9"))
        encoder.uuid(session)
        encoder.timestamp(Date(timeIntervalSince1970: 1_790_000_000.123456))
        encoder.json(.object(["path": .string("C:\\x"), "n": .number(2)]))
        encoder.endRow()
        encoder.null()
        encoder.endRow()
        #expect(String(decoding: encoder.bytes, as: UTF8.self)
            == "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9\t2026-09-21T14:13:20.123456Z\t{\"n\":2,\"path\":\"C:\\\\\\\\x\"}\n\\N\n")
    }

    @Test func arrayLiteralQuotes() {
        #expect(PostgresArrayLiteral.encode(["a\"b", "c\\d", nil, ""]) == "{\"a\\\"b\",\"c\\\\d\",NULL,\"\"}")
    }

    @Test func errorCodesFromSQLState() {
        #expect(PostgresError.code(forSQLState: "23505") == .uniqueViolation)
        #expect(PostgresError.code(forSQLState: "08006") == .connectionLost)
        #expect(PostgresError.code(forSQLState: "57P01") == .connectionLost)
        #expect(PostgresError.code(forSQLState: "23514") == .constraintViolation)
        #expect(PostgresError.code(forSQLState: "42P01") == .queryFailed)
    }
}

@Suite(.serialized) struct RoundTripTests {
    static let tricky = "back\\slash\ttab\nnewline\r\"double\" 'single' ünïcødé 🚀 \u{1}"

    func connection() async throws -> PostgresConnection {
        try PostgresConnection(url: try await TestDatabase.fresh(name: "roundtrip"))
    }

    @Test func scalarParameters() async throws {
        let connection = try await connection()
        let uuid = UUID()
        let date = Date(timeIntervalSince1970: 1_790_000_000.654321)
        let row = try #require(try connection.query("""
            SELECT $1::text AS s, $2::bigint AS i, $3::float8 AS d, $4::bool AS b, $5::timestamptz AS t,
                   $6::uuid AS u, $7::bigint AS big, $8::text AS n, $9::float8 AS nan
            """, [
                .string(Self.tricky), 42.postgresValue, 2.5.postgresValue, true.postgresValue, date.postgresValue,
                uuid.postgresValue, Int64.min.postgresValue, nil, Double.nan.postgresValue,
            ]).first)
        #expect(row.string("s") == Self.tricky)
        #expect(row.int("i") == 42)
        #expect(row.double("d") == 2.5)
        #expect(row.bool("b") == true)
        #expect(try abs(#require(row.date("t")).timeIntervalSince(date)) < 0.000_002)
        #expect(row.uuid("u") == uuid)
        #expect(row.int64("big") == Int64.min)
        #expect(row["n"] == nil)
        #expect(row.double("nan")?.isNaN == true)
    }

    @Test func arrays() async throws {
        let connection = try await connection()
        let strings = [Self.tricky, "", "{braces},commas", "NULL"]
        let rows = try connection.query(
            "SELECT x FROM unnest($1::text[]) WITH ORDINALITY AS t(x, n) ORDER BY n", [strings.postgresValue]
        )
        #expect(rows.map { $0.string("x") } == strings)
        let numbers: [Int64] = [1, -2, Int64.max]
        let sum = try connection.query("SELECT array_length($1::bigint[], 1) AS n, $1::bigint[] AS a", [numbers.postgresValue])
        #expect(sum.first?.int("n") == 3)
        #expect(sum.first?.string("a") == "{1,-2,9223372036854775807}")
        let withNull = try connection.query("SELECT count(*) AS n FROM unnest($1::text[]) x WHERE x IS NULL", [.stringArray(["a", nil])])
        #expect(withNull.first?.int("n") == 1)
    }

    @Test func jsonb() async throws {
        let connection = try await connection()
        let value: JSONValue = .object([
            "text": .string(Self.tricky), "list": .array([.number(1.5), .bool(false), .null, .object(["deep": .string("é")])]),
        ])
        try connection.execute("CREATE TEMP TABLE j (v jsonb)")
        try connection.execute("INSERT INTO j VALUES ($1)", [value.postgresValue])
        #expect(try connection.query("SELECT v FROM j").first?.json("v") == value)
        #expect(try connection.query("SELECT v->'list'->3->>'deep' AS d FROM j").first?.string("d") == "é")
    }

    @Test func copyRoundTrip() async throws {
        let connection = try await connection()
        try connection.execute("CREATE TEMP TABLE c (a text, b text)")
        let copied = try connection.copyIn("COPY c (a, b) FROM STDIN", rows: [[Self.tricky, nil], ["x", "y"]])
        #expect(copied == 2)
        let rows = try connection.query("SELECT a, b FROM c ORDER BY a")
        #expect(rows.rows.map { $0["a"] } == ["x", Self.tricky].sorted().map { $0 })
        #expect(rows.rows.contains { $0["a"] == Self.tricky && $0["b"] == nil })
    }

    @Test func copyAfterAQueryIsOneTransaction() async throws {
        let connection = try await connection()
        try connection.execute("CREATE TEMP TABLE q (a text PRIMARY KEY)")
        let quoted = try connection.literal(Self.tricky)
        var seen: [String?] = []
        let copied = try connection.copyIn(afterQuery: "SELECT \(quoted) AS t; COPY q (a) FROM STDIN", rows: { rows in
            seen = rows.rows.map { $0["t"] }
            return [["one"], ["two"]]
        }, encode: { row, encoder in row.forEach { encoder.text($0) } })
        #expect(copied == 2)
        #expect(seen == [Self.tricky])
        #expect(!connection.inTransaction)
        // A failing COPY takes the statements before it back with it.
        try connection.execute("CREATE TEMP TABLE side (a int)")
        #expect(throws: PostgresError.self) {
            try connection.copyIn(afterQuery: "INSERT INTO side VALUES (1); COPY q (a) FROM STDIN", rows: { _ in [["one"]] }, encode: { row, encoder in
                row.forEach { encoder.text($0) }
            })
        }
        #expect(try connection.query("SELECT count(*) AS n FROM side").first?.int("n") == 0)
        // A failing statement before the COPY: nothing is copied.
        #expect(throws: PostgresError.self) {
            try connection.copyIn(afterQuery: "SELECT 1/0; COPY q (a) FROM STDIN", rows: { _ in [["three"]] }, encode: { row, encoder in
                row.forEach { encoder.text($0) }
            })
        }
        #expect(try connection.query("SELECT count(*) AS n FROM q").first?.int("n") == 2)
        #expect(connection.isHealthy && !connection.inTransaction)
    }

    @Test func transactionRollsBack() async throws {
        let connection = try await connection()
        try connection.execute("CREATE TEMP TABLE r (a int)")
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try connection.transaction { try $0.execute("INSERT INTO r VALUES (1)"); throw Boom() }
        }
        #expect(try connection.query("SELECT count(*) AS n FROM r").first?.int("n") == 0)
        try connection.transaction { try $0.execute("INSERT INTO r VALUES (1)") }
        #expect(try connection.query("SELECT count(*) AS n FROM r").first?.int("n") == 1)
        #expect(!connection.inTransaction)
    }

    @Test func errorMapping() async throws {
        let connection = try await connection()
        do {
            try connection.execute("SELEC 1")
            Issue.record("no error")
        } catch let error as PostgresError {
            #expect(error.code == .syntaxError)
            #expect(error.sqlState == "42601")
            #expect(error.description.contains("syntax error"))
        }
        try connection.execute("CREATE TEMP TABLE u (k text PRIMARY KEY)")
        try connection.execute("INSERT INTO u VALUES ($1)", [.string("a")])
        do {
            try connection.execute("INSERT INTO u VALUES ($1)", [.string("a")])
            Issue.record("no error")
        } catch let error as PostgresError {
            #expect(error.code == .uniqueViolation)
            #expect(error.detail?.contains("already exists") == true)
        }
        // The connection stays usable after errors.
        #expect(try connection.query("SELECT 1 AS one").first?.int("one") == 1)
        #expect(connection.isHealthy)
    }

    @Test func noticesDoNotBreakQueries() async throws {
        let connection = try await connection()
        try connection.execute("DO $$ BEGIN RAISE NOTICE 'hello from the server'; RAISE WARNING 'careful'; END $$")
        #expect(connection.isHealthy)
    }
}
