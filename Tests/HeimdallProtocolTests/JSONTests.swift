import Testing
@testable import HeimdallProtocol

@Suite struct JSONParserTests {
    func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    @Test func parsesEveryKindOfValue() throws {
        let value = try parse(#" {"a": [1, -2.5e3, true, false, null], "b": {"c": "d\n\u00e9\ud83d\ude00"}} "#)
        #expect(value == .object([
            "a": .array([.number(1), .number(-2500), .bool(true), .bool(false), .null]),
            "b": .object(["c": .string("d\né😀")]),
        ]))
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "01", "1.", "tru", "\"abc", "{} x", "\"\u{01}\"", "\"\\ud800\"", "\"\\x\"", "NaN"])
    func refusesMalformedText(_ text: String) {
        #expect(throws: JSONParseError.self) { try parse(text) }
    }

    @Test func refusesInvalidUTF8() {
        #expect(throws: JSONParseError.self) { try JSONParser.parse([0x22, 0xff, 0xfe, 0x22]) }
    }

    @Test func refusesDeepNesting() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParseError.self) { try parse(deep) }
        let fine = String(repeating: "[", count: JSONParser.maximumDepth) + String(repeating: "]", count: JSONParser.maximumDepth)
        #expect(throws: Never.self) { try parse(fine) }
    }

    @Test func writerRoundTripsAndEscapes() throws {
        let value: JSONValue = .object(["z": .string("tab\t\"q\" back\\slash \u{01}"), "a": .number(3), "f": .number(0.5)])
        let text = value.jsonText()
        #expect(text == #"{"a":3,"f":0.5,"z":"tab\t\"q\" back\\slash \u0001"}"#)
        #expect(try parse(text) == value)
    }
}

@Suite struct RFC3339Tests {
    @Test func parsesOffsetsAndFractions() throws {
        let utc = try #require(RFC3339.parse("2026-11-20T10:15:02.123Z"))
        #expect(abs(utc.timeIntervalSince1970 - 1_795_169_702.123) < 0.0005)
        let offset = try #require(RFC3339.parse("2026-11-20T11:15:02.123+01:00"))
        #expect(abs(offset.timeIntervalSince(utc)) < 0.0005)
        #expect(RFC3339.format(utc) == "2026-11-20T10:15:02.123Z")
        #expect(RFC3339.parse("2024-02-29T00:00:00Z") != nil)
    }

    @Test(arguments: ["2026-11-20", "2026-11-20T10:15:02", "2026-13-01T00:00:00Z", "2025-02-29T00:00:00Z",
                      "2026-11-20T10:15:02.Z", "2026-11-20T25:00:00Z", "2026-11-20T10:15:02+0100", "x2026-11-20T10:15:02Z"])
    func refusesNonRFC3339(_ text: String) {
        #expect(RFC3339.parse(text) == nil)
    }

    @Test func formatsDatesBeforeTheEpoch() throws {
        let date = try #require(RFC3339.parse("1969-12-31T23:59:59.500Z"))
        #expect(RFC3339.format(date) == "1969-12-31T23:59:59.500Z")
    }
}
